"""The public pages, as a submitter without an account uses them: report, receipt, follow-up."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from withhold.intake.models import Allegation, InformationRequest, PendingReportFile

from .conftest import EXE_BYTES, GOOD_REASONS, PDF_BYTES, pdf

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def form_data(**overrides):
    data = {
        "reasons": GOOD_REASONS,
        "merchandise_description": "Combed cotton yarn, 30s count, on cones in woven bags",
        "hts_code": "5205",
        "manufacturer_name": "Example Spinning Mill",
        "manufacturer_address": "12 Mill Road",
        "country": "CN",
        "region": "Example Province",
        "supply_chain_companies": "Example Trading Co.",
        "production_period": "Spring 2025",
        "ilo_indicators": ["7", "8"],
        "submitter_type": "worker",
        "contact_choice": "anonymous",
        "website": "",
        "action": "send",
    }
    data.update(overrides)
    return data


def post_report(client, files=(), **overrides):
    data = form_data(**overrides)
    if files:
        data["attachments"] = list(files)
    return client.post("/report/", data, **HOST)


def test_report_form_shows_the_three_elements_ilo_explanations_and_privacy(client):
    page = client.get("/report/", **HOST).content.decode()
    assert "1. Why you believe the goods are made with forced labor" in page
    assert "2. The goods" in page
    assert "3. How and where the goods are made" in page
    assert "Retention of identity documents" in page
    assert "keeps workers&#x27; passports" in page or "keeps workers' passports" in page
    assert "Privacy notice" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "<script>" not in page and 'style="' not in page


def test_checking_a_thin_report_says_which_elements_are_thin_and_stores_nothing(client):
    response = post_report(
        client, action="check", reasons="They are forced.", manufacturer_name="", country=""
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "How complete is your report?" in page
    assert "Say more: what you saw or heard" in page
    assert "Name the producer or manufacturer" in page
    assert Allegation.objects.count() == 0


def test_sending_a_thin_report_asks_once_then_accepts(client):
    response = post_report(client, reasons="They are forced to work.")
    assert "Before you send: parts of your report are thin" in response.content.decode()
    assert Allegation.objects.count() == 0
    response = post_report(client, reasons="They are forced to work.", confirmed="on")
    assert response.status_code == 302
    assert Allegation.objects.count() == 1


def test_anonymous_report_with_file_gets_a_receipt_shown_once(client):
    response = post_report(client, files=[SimpleUploadedFile("statement.pdf", PDF_BYTES)])
    assert response.status_code == 302 and response["Location"] == "/report/receipt/"
    page = client.get("/report/receipt/", **HOST).content.decode()
    receipt = re.search(r'id="receipt-number">([^<]+)<', page).group(1)
    code = re.search(r'id="follow-up-code">([^<]+)<', page).group(1)
    allegation = Allegation.objects.get(receipt_number=receipt)
    assert allegation.anonymous and allegation.attachments.count() == 1
    assert code not in allegation.follow_up_code_hash
    again = client.get("/report/receipt/", **HOST).content.decode()
    assert code not in again and "already been shown" in again


def submit_and_read_receipt(client):
    post_report(client)
    page = client.get("/report/receipt/", **HOST).content.decode()
    return (
        re.search(r'id="receipt-number">([^<]+)<', page).group(1),
        re.search(r'id="follow-up-code">([^<]+)<', page).group(1),
    )


def test_submitter_sees_status_answers_question_and_adds_files(client, intake_analyst):
    receipt, code = submit_and_read_receipt(client)
    response = client.post(
        "/report/status/", {"receipt_number": receipt.lower(), "code": code}, **HOST
    )
    assert response.status_code == 302
    page = client.get(response["Location"], **HOST).content.decode()
    assert 'id="report-status">Received<' in page
    allegation = Allegation.objects.get(receipt_number=receipt)
    from withhold.intake import services

    services.allegation_information_request(
        allegation=allegation, actor=intake_analyst, question="Which town is the mill in?"
    )
    page = client.get(f"/report/status/{receipt}/", **HOST).content.decode()
    assert "More information requested" in page and "Which town is the mill in?" in page
    response = client.post(
        f"/report/status/{receipt}/",
        {"action": "answer", "answer": "Example Town, near the river."},
        **HOST,
    )
    assert response.status_code == 302
    assert InformationRequest.objects.get().answer == "Example Town, near the river."
    response = client.post(
        f"/report/status/{receipt}/",
        {"action": "files", "attachments": [SimpleUploadedFile("photo.pdf", PDF_BYTES)]},
        **HOST,
    )
    assert response.status_code == 302
    page = client.get(f"/report/status/{receipt}/", **HOST).content.decode()
    assert "Under review" in page and "photo.pdf" in page


def test_a_wrong_code_reveals_nothing_and_looks_like_an_unknown_receipt(client):
    receipt, code = submit_and_read_receipt(client)
    other = client.__class__()
    wrong = other.post(
        "/report/status/", {"receipt_number": receipt, "code": "AAAA-BBBB-CCCC-DDDD-EEEE"}, **HOST
    )
    unknown = other.post(
        "/report/status/", {"receipt_number": "FLA-2001-000009", "code": code}, **HOST
    )
    assert wrong.status_code == unknown.status_code == 400

    def page_without_echoes(response) -> str:
        text = response.content.decode()
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
        return re.sub(r'value="(FLA-[^"]*)"', "", text)

    assert page_without_echoes(wrong) == page_without_echoes(unknown)
    assert "We could not find a report with that receipt number and follow-up code." in (
        wrong.content.decode()
    )
    assert "Example Spinning Mill" not in wrong.content.decode()
    # And the status page itself is closed to a browser that has not given the code.
    response = other.get(f"/report/status/{receipt}/", **HOST)
    assert response.status_code == 302 and response["Location"] == "/report/status/"


def test_only_receipted_reports_count_against_the_limit(client, settings):
    """An office that checks its report, corrects a refused field and checks again is not
    locked out: rounds that send nothing cost nothing."""
    settings.WITHHOLD = {**settings.WITHHOLD, "INTAKE_SUBMIT_RATE": "2/3600"}
    refused = [post_report(client, reasons="").status_code for _ in range(3)]
    checked = [post_report(client, action="check").status_code for _ in range(3)]
    assert refused == [400, 400, 400] and checked == [200, 200, 200]
    assert [post_report(client).status_code for _ in range(3)] == [302, 302, 429]
    assert Allegation.objects.count() == 2


def test_a_burst_of_reports_from_one_address_is_throttled(client, settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "INTAKE_SUBMIT_RATE": "3/3600"}
    statuses = [post_report(client).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert Allegation.objects.count() == 3
    refused = post_report(client)
    assert "Too many attempts" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    elsewhere = client.post("/report/", form_data(), REMOTE_ADDR="10.9.9.9", **HOST)
    assert elsewhere.status_code == 302


def test_a_burst_of_code_guesses_is_throttled(client, settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "INTAKE_FOLLOW_UP_RATE": "3/3600"}
    receipt, code = submit_and_read_receipt(client)
    guesses = [
        client.post(
            "/report/status/", {"receipt_number": receipt, "code": f"GUESS{n}"}, **HOST
        ).status_code
        for n in range(3)
    ]
    assert guesses == [400, 400, 400]
    right = client.post("/report/status/", {"receipt_number": receipt, "code": code}, **HOST)
    assert right.status_code == 429


def test_the_honeypot_refuses_a_bot(client):
    response = post_report(client, website="http://spam.example")
    assert response.status_code == 400
    assert "could not be accepted" in response.content.decode()
    assert Allegation.objects.count() == 0


def test_a_renamed_executable_is_refused_with_its_name(client):
    response = post_report(
        client,
        files=[
            SimpleUploadedFile("good.pdf", PDF_BYTES),
            SimpleUploadedFile("evidence.pdf", EXE_BYTES, content_type="application/pdf"),
        ],
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "evidence.pdf" in page and "not a file type Withhold accepts" in page
    assert Allegation.objects.count() == 0


def test_an_oversized_request_is_refused_before_it_is_read(client, settings):
    settings.WITHHOLD = {
        **settings.WITHHOLD,
        "INTAKE_MAX_ATTACHMENTS": 1,
        "INTAKE_ATTACHMENT_MAX_BYTES": 10,
    }
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    response = post_report(client, files=[SimpleUploadedFile("big.pdf", PDF_BYTES * 100)])
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert Allegation.objects.count() == 0


def test_a_too_long_field_gets_a_message_naming_it(client):
    response = post_report(client, production_period="x" * 500)
    assert response.status_code == 400
    assert "When were the goods made or shipped?" in response.content.decode()
    assert Allegation.objects.count() == 0


def test_contact_details_are_needed_unless_anonymous(client):
    response = post_report(client, contact_choice="contact")
    assert response.status_code == 400
    assert "or choose to report anonymously" in response.content.decode()


def test_files_chosen_before_check_my_report_are_kept_and_sent(client):
    checked = post_report(client, files=[pdf("statement.pdf")], action="check")
    assert checked.status_code == 200
    page = checked.content.decode()
    assert 'id="kept-files"' in page and "statement.pdf" in page
    # Checked again without choosing anything: still kept, still one.
    again = post_report(client, action="check").content.decode()
    assert again.count("Remove statement.pdf") == 1
    sent = post_report(client)
    assert sent.status_code == 302
    allegation = Allegation.objects.get()
    assert [a.original_name for a in allegation.attachments.all()] == ["statement.pdf"]
    assert allegation.attachments.get().sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert not PendingReportFile.objects.exists()


def test_a_kept_file_can_be_removed_before_sending(client):
    post_report(client, files=[pdf("wrong.pdf")], action="check")
    kept = PendingReportFile.objects.get()
    page = post_report(client, action="check", remove_pending=[str(kept.pk)]).content.decode()
    assert "wrong.pdf" not in page
    assert post_report(client).status_code == 302
    assert not Allegation.objects.get().attachments.exists()


def test_kept_files_belong_to_their_session_only(client):
    post_report(client, files=[pdf("mine.pdf")], action="check")
    other = Client()
    assert "mine.pdf" not in other.get("/report/", **HOST).content.decode()
    assert other.post("/report/", form_data(), **HOST).status_code == 302
    assert not Allegation.objects.get().attachments.exists()
