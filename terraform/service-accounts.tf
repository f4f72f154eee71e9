locals {
  # Account ids take 6 to 30 lower-case letters, digits and hyphens: me -> func-me,
  # releaseExpiredHolds -> func-release-expired-holds.
  service_account_ids = { for name in keys(local.functions) : name => "func-${lower(replace(name, "/([A-Z])/", "-$1"))}" }

  firebase_auth_roles = {
    none   = []
    viewer = ["roles/firebaseauth.viewer"]
    admin  = ["roles/firebaseauth.admin"]
  }

  # Project-level roles, one binding per function and role.
  function_project_roles = {
    for binding in flatten([
      for name, fn in local.functions : [
        for role in concat(
          fn.firestore ? [fn.firestore_read ? "roles/datastore.viewer" : "roles/datastore.user"] : [],
          local.firebase_auth_roles[fn.firebase_auth],
          fn.fcm ? ["roles/firebasecloudmessaging.admin"] : [],
        ) :
        { function = name, role = role }
      ]
    ]) : "${binding.function} ${binding.role}" => binding
  }

  # The least a custom Cloud Build service account needs to build a function from source.
  build_roles = toset([
    "roles/artifactregistry.writer",
    "roles/logging.logWriter",
    "roles/storage.objectViewer",
  ])
}

# One identity per function, so that a compromised or buggy function holds only its own rights.
resource "google_service_account" "function" {
  for_each = local.functions

  account_id   = local.service_account_ids[each.key]
  display_name = "Event Manager function ${each.key}"

  lifecycle {
    precondition {
      condition     = length(local.service_account_ids[each.key]) <= 30
      error_message = "${each.key} makes a service account id longer than 30 characters: shorten the name."
    }
  }

  depends_on = [google_project_service.required]
}

resource "google_project_iam_member" "function" {
  for_each = local.function_project_roles

  project = var.project
  role    = each.value.role
  member  = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

# Builds run as this account instead of the default compute account, which new projects no longer grant
# anything and older ones grant Editor.
resource "google_service_account" "build" {
  account_id   = "function-builder"
  display_name = "Builds the Event Manager functions"

  depends_on = [google_project_service.required]
}

resource "google_project_iam_member" "build" {
  for_each = local.build_roles

  project = var.project
  role    = each.value
  member  = "serviceAccount:${google_service_account.build.email}"
}
