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

# Pub/Sub mints the push requests' OIDC tokens as the push account.
resource "google_service_account_iam_member" "pubsub_push_token_creator" {
  service_account_id = google_service_account.pubsub_push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}

# Each subscriber function's push subscription, with a dead-letter topic of its own. Delivery is at least
# once, so every subscriber is idempotent.
#
# Push subscriptions rather than Eventarc triggers: a trigger would create a subscription of its own,
# whose dead-letter policy Terraform cannot manage. The endpoint's /projects/P/topics/T suffix is how the
# functions-framework learns the topic when it turns the push body into a CloudEvent.
#
# Ordering: payment-confirmed is keyed by booking id and ordered only to keep it tidy; user-notifications
# is not ordered, because notifications are independent (the inbox sorts by time) and an ordered
# subscription would hold back a user's later notifications behind one that FCM keeps refusing until it
# is dead-lettered.
locals {
  push_subscriptions = {
    issueTickets            = { topic = "payment-confirmed", name = "payment-confirmed-issue-tickets", ordered = true }
    deliverUserNotification = { topic = "user-notifications", name = "user-notifications-deliver", ordered = false }
  }
}

resource "google_cloud_run_service_iam_member" "push_invoker" {
  for_each = local.push_subscriptions

  location = var.region
  service  = google_cloudfunctions2_function.function[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.pubsub_push.email}"
}

resource "google_pubsub_subscription" "push" {
  for_each = local.push_subscriptions

  name  = each.value.name
  topic = local.topics[each.value.topic]

  push_config {
    push_endpoint = "${google_cloudfunctions2_function.function[each.key].service_config[0].uri}/projects/${var.project}/topics/${each.value.topic}"

    # The audience is pinned to the service's URL, the one Cloud Run checks: the default would be the whole
    # endpoint with its /projects/... suffix.
    oidc_token {
      service_account_email = google_service_account.pubsub_push.email
      audience              = google_cloudfunctions2_function.function[each.key].service_config[0].uri
    }
  }

  enable_message_ordering    = each.value.ordered
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }

  # A nacked delivery (a subscriber's retryable failure, e.g. FCM's UNAVAILABLE) is retried with backoff.
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  # What keeps failing lands on the dead-letter topic, for an operator.
  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter[each.key].id
    max_delivery_attempts = 10
  }
}

resource "google_pubsub_topic" "dead_letter" {
  for_each = local.push_subscriptions

  name = "${each.value.topic}-dead-letter"

  depends_on = [google_project_service.required]
}

# A topic without a subscription drops what it receives: this one keeps dead letters for inspection.
resource "google_pubsub_subscription" "dead_letter" {
  for_each = local.push_subscriptions

  name  = "${each.value.topic}-dead-letter"
  topic = google_pubsub_topic.dead_letter[each.key].id

  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = local.push_subscriptions

  topic  = google_pubsub_topic.dead_letter[each.key].id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_service_agent
}

# The service agent must be able to acknowledge the messages it forwards to the dead-letter topic.
resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  for_each = local.push_subscriptions

  subscription = google_pubsub_subscription.push[each.key].id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

# The addresses these resources had before they shared one definition, so an existing deployment keeps
# its subscriptions (and their unacknowledged messages) instead of replacing them.
moved {
  from = google_cloud_run_service_iam_member.issue_tickets_push
  to   = google_cloud_run_service_iam_member.push_invoker["issueTickets"]
}

moved {
  from = google_cloud_run_service_iam_member.deliver_user_notification_push
  to   = google_cloud_run_service_iam_member.push_invoker["deliverUserNotification"]
}

moved {
  from = google_pubsub_subscription.issue_tickets
  to   = google_pubsub_subscription.push["issueTickets"]
}

moved {
  from = google_pubsub_subscription.deliver_user_notification
  to   = google_pubsub_subscription.push["deliverUserNotification"]
}

moved {
  from = google_pubsub_topic.payment_confirmed_dead_letter
  to   = google_pubsub_topic.dead_letter["issueTickets"]
}

moved {
  from = google_pubsub_topic.user_notifications_dead_letter
  to   = google_pubsub_topic.dead_letter["deliverUserNotification"]
}

moved {
  from = google_pubsub_subscription.payment_confirmed_dead_letter
  to   = google_pubsub_subscription.dead_letter["issueTickets"]
}

moved {
  from = google_pubsub_subscription.user_notifications_dead_letter
  to   = google_pubsub_subscription.dead_letter["deliverUserNotification"]
}

moved {
  from = google_pubsub_topic_iam_member.dead_letter_publisher
  to   = google_pubsub_topic_iam_member.dead_letter_publisher["issueTickets"]
}

moved {
  from = google_pubsub_topic_iam_member.user_notifications_dead_letter_publisher
  to   = google_pubsub_topic_iam_member.dead_letter_publisher["deliverUserNotification"]
}

moved {
  from = google_pubsub_subscription_iam_member.dead_letter_subscriber
  to   = google_pubsub_subscription_iam_member.dead_letter_subscriber["issueTickets"]
}

moved {
  from = google_pubsub_subscription_iam_member.user_notifications_dead_letter_subscriber
  to   = google_pubsub_subscription_iam_member.dead_letter_subscriber["deliverUserNotification"]
}
