"""The registry's addresses outside the language prefix. They are printed on certificates
(``/v/<number>`` as a QR code) and inside signed credentials, so they never change.

``/v/<number>``                   the verification page (HTML; JSON when asked for)
``/v/<number>/credential.jwt``   the certificate as an Open Badges 3.0 VC-JWT
``/v/<number>/preview.png``      the verify page's picture of the certificate
``/.well-known/jwks.json``        the public signing key(s), current and retired
``/.well-known/did.json``         the ``did:web`` document of the issuer
``/.well-known/status-list``      the signed Bitstring Status List of revocations
``/certificates/<pk>/pdf``        the PDF, for its holder and those who may see it
``/certificates/<pk>/preview.png``  its preview, likewise
"""

from django.urls import path

from certification import views

urlpatterns = [
    path("v/<str:number>", views.verify, name="certificate_verify"),
    path("v/<str:number>/credential.jwt", views.credential, name="certificate_credential"),
    path("v/<str:number>/preview.png", views.public_preview, name="certificate_public_preview"),
    path(".well-known/jwks.json", views.jwks, name="credentials_jwks"),
    path(".well-known/did.json", views.did_document, name="credentials_did"),
    path(".well-known/status-list", views.status_list, name="credentials_status_list"),
    path("certificates/<int:pk>/pdf", views.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<int:pk>/preview.png", views.certificate_preview, name="certificate_preview"
    ),
]
