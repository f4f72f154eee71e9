variable "project" {
  description = "Google Cloud project id to deploy into (Firebase must be enabled on it for mobile sign-in)."
  type        = string
}

variable "region" {
  description = "Region of the functions, the scheduler jobs and the source bucket."
  type        = string
  default     = "europe-west1"
}

variable "firestore_location" {
  description = "Location of the (default) Firestore database; it cannot be changed after creation."
  type        = string
  default     = "eur3"
}

variable "log_level" {
  description = "LOG_LEVEL of every function (see shared/config/config.ts)."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["debug", "info", "warn", "error"], var.log_level)
    error_message = "log_level must be debug, info, warn or error."
  }
}

variable "function_sizing" {
  description = <<-EOT
    Per-function overrides of the sizes in functions.tf, by function name, for example
    { book = { min_instances = 2, max_instances = 200 } } the day before a big on-sale.
  EOT
  type = map(object({
    memory        = optional(string)
    min_instances = optional(number)
    max_instances = optional(number)
  }))
  default = {}
}

variable "authorized_domains" {
  description = "Domains allowed in Firebase Auth redirects and email links, besides localhost and the project's Firebase domains."
  type        = list(string)
  default     = []
}

variable "alert_notification_channels" {
  description = "Cloud Monitoring notification channel ids (projects/P/notificationChannels/N) the alert policies of monitoring.tf notify; empty: alerts only show in the console."
  type        = list(string)
  default     = []
}

variable "ticket_public_keys" {
  description = <<-EOT
    TICKET_PUBLIC_KEYS: JSON array of the public ticket keys (JWKs {kid, kty "OKP", crv "Ed25519", x}):
    the current signing key's, plus every retired key whose tickets are still in use. Not secret.
    `npm run ticket-key -- <kid>` makes a key pair (docs/check-in.md).
  EOT
  type        = string

  validation {
    condition     = can(length(jsondecode(var.ticket_public_keys))) && length(jsondecode(var.ticket_public_keys)) > 0
    error_message = "ticket_public_keys must be a non-empty JSON array of public JWKs."
  }
}
