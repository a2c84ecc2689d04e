"""URLs of the certificate documents: the PDF and its preview, for those who may see them."""

from django.urls import path

from certification import documents

urlpatterns = [
    path("certificates/<int:pk>/pdf", documents.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<int:pk>/preview.png",
        documents.certificate_preview,
        name="certificate_preview",
    ),
    # The verify page's picture: outside the language prefix, beside /v/<number>.
    path("v/<str:number>/preview.png", documents.public_preview, name="certificate_public_preview"),
]
