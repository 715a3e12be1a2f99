from django.contrib import admin

from .models import Commodity, IloIndicator


@admin.register(Commodity)
class CommodityAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "hs_code", "source"]
    search_fields = ["name", "hs_code"]


@admin.register(IloIndicator)
class IloIndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
