# The same firestore.rules the Firebase CLI deploys (firebase.json). The functions use the Admin SDK,
# which bypasses rules; these keep the apps' client SDKs, and anyone holding the public Firebase config,
# out of the database.
resource "google_firebaserules_ruleset" "firestore" {
  project = var.project

  source {
    files {
      name    = "firestore.rules"
      content = file("${path.module}/../firestore.rules")
    }
  }

  # A release's ruleset cannot be deleted: create the new one and repoint the release first.
  lifecycle {
    create_before_destroy = true
  }

  depends_on = [google_firestore_database.default]
}

resource "google_firebaserules_release" "firestore" {
  project      = var.project
  name         = "cloud.firestore"
  ruleset_name = "projects/${var.project}/rulesets/${google_firebaserules_ruleset.firestore.name}"
}
