output "function_urls" {
  description = "HTTPS URL of every public function, by name (https://REGION-PROJECT.cloudfunctions.net/<name>)."
  value = {
    for name, fn in local.functions : name => google_cloudfunctions2_function.function[name].url
    if fn.visibility == "public"
  }
}

output "secret_ids" {
  description = "Secret Manager secrets whose values must be added with gcloud (docs/deployment.md)."
  value       = [for secret in google_secret_manager_secret.stripe : secret.secret_id]
}
