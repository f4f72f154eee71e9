# Prepared for the payments issue: stripeWebhook publishes payment-confirmed, a subscriber issues tickets.
# Created ahead of its functions so that no message published in between is lost.

locals {
  # Topics that functions.tf may name in publishes, by the name the code publishes to.
  topics = {
    "payment-confirmed"  = google_pubsub_topic.payment_confirmed.id
    "user-notifications" = google_pubsub_topic.user_notifications.id
  }

  function_topics = {
    for binding in flatten([
      for name, fn in local.functions : [for topic in fn.publishes : { function = name, topic = topic }]
    ]) : "${binding.function} ${binding.topic}" => binding
  }

  # Google's Pub/Sub service agent moves undeliverable messages to the dead-letter topic.
  pubsub_service_agent = "serviceAccount:service-${data.google_project.current.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

data "google_project" "current" {
  project_id = var.project
}

resource "google_pubsub_topic" "payment_confirmed" {
  name = "payment-confirmed"
  # A week of history lets operators replay messages (seek) after a subscriber bug.
  message_retention_duration = "604800s"

  depends_on = [google_project_service.required]
}

resource "google_pubsub_topic" "user_notifications" {
  name                       = "user-notifications"
  message_retention_duration = "604800s"

  depends_on = [google_project_service.required]
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = local.function_topics

  topic  = local.topics[each.value.topic]
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

# The identity Pub/Sub pushes as: the only one allowed to invoke the internal subscriber functions.
resource "google_service_account" "pubsub_push" {
  account_id   = "pubsub-push-invoker"
  display_name = "Pushes Pub/Sub messages to the subscriber functions"
}

resource "google_cloud_run_service_iam_member" "issue_tickets_push" {
  location = var.region
  service  = google_cloudfunctions2_function.function["issueTickets"].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.pubsub_push.email}"
}

# Pub/Sub mints the push requests' OIDC tokens as the push account.
resource "google_service_account_iam_member" "pubsub_push_token_creator" {
  service_account_id = google_service_account.pubsub_push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}

# The ticket issuer's subscription. Delivery is at least once, so the subscriber must be idempotent.
#
# A push subscription rather than an Eventarc trigger: a trigger would create a subscription of its own,
# whose dead-letter policy Terraform cannot manage. The endpoint's /projects/P/topics/T suffix is how the
# functions-framework learns the topic when it turns the push body into a CloudEvent.
resource "google_pubsub_subscription" "issue_tickets" {
  name  = "payment-confirmed-issue-tickets"
  topic = google_pubsub_topic.payment_confirmed.id

  push_config {
    push_endpoint = "${google_cloudfunctions2_function.function["issueTickets"].service_config[0].uri}/projects/${var.project}/topics/payment-confirmed"

    # The audience is pinned to the service's URL, the one Cloud Run checks: the default would be the whole
    # endpoint with its /projects/... suffix.
    oidc_token {
      service_account_email = google_service_account.pubsub_push.email
      audience              = google_cloudfunctions2_function.function["issueTickets"].service_config[0].uri
    }
  }

  # Ordering keys are booking ids; the subscriber does not depend on order, ordering only keeps it tidy.
  enable_message_ordering    = true
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.payment_confirmed_dead_letter.id
    max_delivery_attempts = 10
  }
}

resource "google_pubsub_topic" "payment_confirmed_dead_letter" {
  name = "payment-confirmed-dead-letter"

  depends_on = [google_project_service.required]
}

# A topic without a subscription drops what it receives: this one keeps dead letters for inspection.
resource "google_pubsub_subscription" "payment_confirmed_dead_letter" {
  name  = "payment-confirmed-dead-letter"
  topic = google_pubsub_topic.payment_confirmed_dead_letter.id

  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  topic  = google_pubsub_topic.payment_confirmed_dead_letter.id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_service_agent
}

# The service agent must be able to acknowledge the messages it forwards to the dead-letter topic.
resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  subscription = google_pubsub_subscription.issue_tickets.id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

# user-notifications → deliverUserNotification: the inbox entry and the FCM pushes of each notification.
resource "google_cloud_run_service_iam_member" "deliver_user_notification_push" {
  location = var.region
  service  = google_cloudfunctions2_function.function["deliverUserNotification"].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.pubsub_push.email}"
}

# Like issue_tickets, with one difference: no message ordering. Notifications are independent (the inbox
# sorts by time), and an ordered subscription would hold back a user's later notifications behind one
# that FCM keeps refusing until it is dead-lettered.
resource "google_pubsub_subscription" "deliver_user_notification" {
  name  = "user-notifications-deliver"
  topic = google_pubsub_topic.user_notifications.id

  push_config {
    push_endpoint = "${google_cloudfunctions2_function.function["deliverUserNotification"].service_config[0].uri}/projects/${var.project}/topics/user-notifications"

    oidc_token {
      service_account_email = google_service_account.pubsub_push.email
      audience              = google_cloudfunctions2_function.function["deliverUserNotification"].service_config[0].uri
    }
  }

  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }

  # FCM's retryable errors (UNAVAILABLE, INTERNAL, quota) nack the delivery: Pub/Sub retries with backoff.
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  # Pushes FCM refuses for good keep failing their message until it lands here, for an operator.
  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.user_notifications_dead_letter.id
    max_delivery_attempts = 10
  }
}

resource "google_pubsub_topic" "user_notifications_dead_letter" {
  name = "user-notifications-dead-letter"

  depends_on = [google_project_service.required]
}

resource "google_pubsub_subscription" "user_notifications_dead_letter" {
  name  = "user-notifications-dead-letter"
  topic = google_pubsub_topic.user_notifications_dead_letter.id

  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_topic_iam_member" "user_notifications_dead_letter_publisher" {
  topic  = google_pubsub_topic.user_notifications_dead_letter.id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "user_notifications_dead_letter_subscriber" {
  subscription = google_pubsub_subscription.deliver_user_notification.id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}
