from django.urls import path

from apps.people import mfa_views, views

app_name = "people"

urlpatterns = [
    # Administrators
    path("people/", views.user_list, name="user_list"),
    path("people/invite/", views.invite, name="invite"),
    path("people/audit/", views.audit_list, name="audit_list"),
    path("people/<int:pk>/", views.user_detail, name="user_detail"),
    path("people/<int:pk>/grant/", views.user_grant, name="user_grant"),
    path("people/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("people/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("people/<int:pk>/mfa-reset/", views.user_mfa_reset, name="user_mfa_reset"),
    # Administrators, enterprise leads (editors) and lead reviewers (reviewers)
    path(
        "people/memberships/<int:pk>/deactivate/",
        views.membership_deactivate,
        name="membership_deactivate",
    ),
    path(
        "people/memberships/<int:pk>/reactivate/",
        views.membership_reactivate,
        name="membership_reactivate",
    ),
    path("people/invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("people/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path(
        "enterprises/<str:credit_code>/people/",
        views.enterprise_people,
        name="enterprise_people",
    ),
    path("authorities/<str:code>/people/", views.authority_people, name="authority_people"),
    # Anyone holding a link
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # Account security and two-factor authentication
    path("accounts/security/", mfa_views.security, name="security"),
    path("accounts/mfa/enrol/", mfa_views.mfa_enrol, name="mfa_enrol"),
    path("accounts/mfa/verify/", mfa_views.mfa_verify, name="mfa_verify"),
    path("accounts/mfa/recovery-codes/", mfa_views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path(
        "accounts/mfa/recovery-codes.txt",
        mfa_views.mfa_recovery_codes_download,
        name="mfa_recovery_codes_download",
    ),
    path(
        "accounts/mfa/recovery-codes/regenerate/",
        mfa_views.mfa_recovery_codes_regenerate,
        name="mfa_recovery_codes_regenerate",
    ),
    path("accounts/mfa/remove/", mfa_views.mfa_remove, name="mfa_remove"),
]
