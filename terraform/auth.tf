# Firebase Auth is Identity Platform under the hood: this enables email/password sign-in for the apps.
# ID tokens it issues are the Firebase ID tokens the functions verify.
resource "google_identity_platform_config" "auth" {
  project = var.project

  authorized_domains = concat(
    ["localhost", "${var.project}.firebaseapp.com", "${var.project}.web.app"],
    var.authorized_domains,
  )

  sign_in {
    allow_duplicate_emails = false

    email {
      enabled           = true
      password_required = true
    }
  }

  depends_on = [google_project_service.required]
}
