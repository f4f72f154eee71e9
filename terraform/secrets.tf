locals {
  # Stripe secrets the payment functions will read, by the key functions.tf uses in stripe_secrets, with
  # the environment variable that shared/config/config.ts must read for each.
  stripe_secrets = {
    api_key        = { secret_id = "stripe-secret-key", env = "STRIPE_SECRET_KEY" }
    webhook_secret = { secret_id = "stripe-webhook-secret", env = "STRIPE_WEBHOOK_SECRET" }
  }

  function_secrets = {
    for binding in flatten([
      for name, fn in local.functions : [for secret in fn.stripe_secrets : { function = name, secret = secret }]
    ]) : "${binding.function} ${binding.secret}" => binding
  }
}

# Only the secrets' names live here. Their values are added out of band (docs/deployment.md) so that they
# never appear in configuration, plans or state.
resource "google_secret_manager_secret" "stripe" {
  for_each = local.stripe_secrets

  secret_id = each.value.secret_id

  replication {
    auto {}
  }

  depends_on = [google_project_service.required]
}

resource "google_secret_manager_secret_iam_member" "function" {
  for_each = local.function_secrets

  secret_id = google_secret_manager_secret.stripe[each.value.secret].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

# The Ed25519 key that signs ticket QR strings (a JWK with its private part, docs/check-in.md). Only the
# functions with ticket_keys = "sign" may read it; everyone else verifies with var.ticket_public_keys.
resource "google_secret_manager_secret" "ticket_signing_key" {
  secret_id = "ticket-signing-key"

  replication {
    auto {}
  }

  depends_on = [google_project_service.required]
}

resource "google_secret_manager_secret_iam_member" "ticket_signing_key" {
  for_each = { for name, fn in local.functions : name => fn if fn.ticket_keys == "sign" }

  secret_id = google_secret_manager_secret.ticket_signing_key.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function[each.key].email}"
}
