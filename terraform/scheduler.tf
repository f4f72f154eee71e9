locals {
  scheduled_functions = { for name, fn in local.functions : name => fn if fn.schedule != null }
}

# The identity Cloud Scheduler signs its OIDC tokens with: the only caller internal functions accept.
resource "google_service_account" "scheduler" {
  account_id   = "function-scheduler"
  display_name = "Calls the scheduled Event Manager functions"

  depends_on = [google_project_service.required]
}

resource "google_cloud_run_service_iam_member" "scheduler" {
  for_each = local.scheduled_functions

  location = var.region
  service  = google_cloudfunctions2_function.function[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.scheduler.email}"
}

resource "google_cloud_scheduler_job" "function" {
  for_each = local.scheduled_functions

  name        = each.key
  region      = var.region
  description = "Calls ${each.key} on schedule."
  schedule    = each.value.schedule
  time_zone   = "Etc/UTC"
  # Scheduler waits for the function's own timeout (its minimum deadline is 15 s) before calling it failed.
  attempt_deadline = "${max(each.value.timeout, 15)}s"

  # The next scheduled run is the retry: a job that runs every minute must not pile up retries.
  retry_config {
    retry_count = 0
  }

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.function[each.key].service_config[0].uri

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = google_cloudfunctions2_function.function[each.key].service_config[0].uri
    }
  }

  depends_on = [google_cloud_run_service_iam_member.scheduler]
}
