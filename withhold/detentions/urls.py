app_name = "detentions"

urlpatterns: list = []
