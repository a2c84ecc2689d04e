import pytest

from certification import layout
from courses import services as course_services
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course


@pytest.fixture(autouse=True)
def _no_kept_images():
    """Each test reads its own images (the renderer keeps those it read in memory)."""
    layout._stored_asset.cache_clear()
    yield
    layout._stored_asset.cache_clear()


@pytest.fixture
def completed(home_pages):
    """An enrolment whose course (2 lessons, no tests) is completed, and its learner."""
    course = build_course(home_pages["ru"], modules=1, lessons=2)
    course.requires_module_tests = course.requires_final_exam = False
    course.save()
    learner = UserFactory(email="aigul@example.com", full_name="Айгүл Маратқызы Омарова")
    enrolment = course_services.enrolment_create(learner=learner, cohort=build_cohort(course))
    return enrolment, course


def png(colour: str, size=(240, 120)) -> bytes:
    """A small PNG of one colour (with an alpha channel, as signatures have)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def add_template_with_signature(client):
    """A registrar (``client`` signed in) adds a template with one signatory and a
    signature image through the admin; returns the saved signatory."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from certification.models import CertificateSignatory

    data = nested_form_data(
        {
            "name": "Семинар",
            "primary_colour": "#1F3A93",
            "accent_colour": "#B8860B",
            "orientation": "landscape",
            "signatories": inline_formset([{"name": "Асель Жумабаева", "position": "Директор"}]),
        }
    )
    data["signatories-0-signature"] = SimpleUploadedFile(
        "signature.png", png("#000080"), content_type="image/png"
    )
    response = client.post("/admin/snippets/certification/certificatetemplate/add/", data)
    assert response.status_code == 302
    return CertificateSignatory.objects.get()


@pytest.fixture
def certificate_template(db):
    """A portrait template with a logo and two signatories with signature images."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image

    from certification.models import CertificateSignatory, CertificateTemplate

    logo = Image.objects.create(
        title="Логотип академии", file=ImageFile(io.BytesIO(png("#1f3a93")), name="logo.png")
    )
    template = CertificateTemplate.objects.create(
        name="Академия: повышение квалификации",
        title_kk="БІЛІКТІЛІКТІ АРТТЫРУ ТУРАЛЫ КУӘЛІК",
        title_ru="УДОСТОВЕРЕНИЕ О ПОВЫШЕНИИ КВАЛИФИКАЦИИ",
        title_en="CERTIFICATE OF ADVANCED TRAINING",
        body_kk="«{course}» бағдарламасы бойынша {hours} академиялық сағат көлемінде оқудан өтті",
        body_ru="прошёл(а) обучение по программе «{course}» в объёме {hours} академических часов",
        body_en="has completed the programme “{course}” ({hours} academic hours), {cohort}",
        logo=logo,
        primary_colour="#0B6E4F",
        accent_colour="#A0522D",
        orientation="portrait",
    )
    for order, (name, position, colour) in enumerate(
        [
            ("Қайрат Серікұлы Әбдіров", "Ректор", "#000080"),
            ("Ольга Ивановна Петренко", "Директор филиала", "#800000"),
        ]
    ):
        signatory = CertificateSignatory(
            template=template, name=name, position=position, sort_order=order
        )
        signatory.signature.save(f"sig{order}.png", ContentFile(png(colour)), save=False)
        signatory.save()
    return template
