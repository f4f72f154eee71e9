locals {
  # Sizes every function starts from; an entry of function_specs states only how it differs.
  #
  # Every function waits on Firestore or Firebase Auth far longer than it computes, so one instance serves
  # up to 80 requests at once (Cloud Run's default) instead of 1 per instance: fewer instances, fewer cold
  # starts. Concurrency above 1 requires at least one whole vCPU, hence cpu "1"; 512Mi leaves room for
  # the Admin SDK (about 100 MB resident) plus 80 requests in flight.
  #
  # Instances scale to zero (min_instances 0): an idle ticketing backend costs nothing. Before a big
  # on-sale, keep book warm with function_sizing, e.g. { book = { min_instances = 2 } }: one warm
  # instance removes the cold start from the first 80 concurrent buyers.
  #
  # Grants default to nothing, so a missing grant fails loudly (PERMISSION_DENIED) instead of a
  # function silently holding rights it does not use:
  #   firestore      roles/datastore.user; with firestore_read, roles/datastore.viewer instead.
  #   firebase_auth  "none": ID tokens are verified against Google's public keys, no Auth API call;
  #                  "viewer": the revocation check of state-changing calls looks the user up;
  #                  "admin": also sets custom claims.
  #   publishes      Pub/Sub topics it publishes to (publisher on those topics only).
  #   fcm            sends pushes through Firebase Cloud Messaging (roles/firebasecloudmessaging.admin,
  #                  the role FCM documents for sending with the HTTP v1 API).
  #   stripe_secrets Stripe secrets it reads, keys of local.stripe_secrets (accessor on those only): the
  #                  webhook signing secret only where webhooks are verified.
  #   ticket_keys    "verify": gets the public ticket keys (TICKET_PUBLIC_KEYS, var.ticket_public_keys);
  #                  "sign": reads the private signing key from Secret Manager (TICKET_SIGNING_KEY,
  #                  accessor on that secret only). docs/check-in.md says how keys rotate.
  #   schedule       cron schedule (UTC) on which Cloud Scheduler calls it with POST; internal only.
  #   env            extra environment variables; only names that shared/config/config.ts reads.
  function_defaults = {
    memory         = "512Mi"
    cpu            = "1"
    timeout        = 30
    min_instances  = 0
    max_instances  = 20
    concurrency    = 80
    firestore      = false
    firestore_read = false
    firebase_auth  = "none"
    publishes      = []
    fcm            = false
    stripe_secrets = []
    ticket_keys    = "none"
    schedule       = null
    env            = {}
  }

  # One entry per function of functions/index.ts, by name: the entry point, the Cloud Function and the
  # path /<name> of the API contract. visibility "public" lets anyone call it (the Firebase ID token or
  # the Stripe signature authenticates the caller); "internal" only its scheduler or subscription.
  # test/terraform/functions-consistency.test.ts checks this map against the registry.
  function_specs = {
    register     = { visibility = "public", firestore = true, firebase_auth = "admin" }
    me           = { visibility = "public", firestore = true }
    createEvent  = { visibility = "public", firestore = true, firebase_auth = "viewer" }
    updateEvent  = { visibility = "public", firestore = true, firebase_auth = "viewer" }
    cancelEvent  = { visibility = "public", firestore = true, firebase_auth = "viewer" }
    getEvent     = { visibility = "public", firestore = true }
    searchEvents = { visibility = "public", firestore = true }
    # The on-sale hot path: 100 instances of 80 requests; the inventory shards, not instances, cap it.
    # It expires lapsed holds before answering sold-out, announcing each (booking.expired).
    book       = { visibility = "public", firestore = true, firebase_auth = "viewer", max_instances = 100, publishes = ["user-notifications"] }
    getBooking = { visibility = "public", firestore = true }
    myBookings = { visibility = "public", firestore = true }
    # Cancelling a paid booking refunds it through Stripe.
    # Cancelling a hold returns its tickets, and the waitlist's offers of them are published right away.
    cancelBooking = {
      visibility     = "public"
      firestore      = true
      firebase_auth  = "viewer"
      stripe_secrets = ["api_key"]
      publishes      = ["user-notifications"]
    }
    # One sweep at a time, each done before the next minute's: one instance taking one request keeps
    # sweeps from piling up on each other when a run is slow.
    releaseExpiredHolds = {
      visibility    = "internal"
      firestore     = true
      publishes     = ["user-notifications"]
      schedule      = "* * * * *"
      timeout       = 50
      max_instances = 1
      concurrency   = 1
    }
    pay = { visibility = "public", firestore = true, firebase_auth = "viewer", stripe_secrets = ["api_key"] }
    # Reads a few counter documents per call, never the bookings (docs/payments.md, sales report).
    # Admin functions check revocation on reads too ("viewer").
    eventSales = { visibility = "public", firestore = true, firebase_auth = "viewer" }
    # Teams: admin functions check revocation on every call ("viewer"); removeMember also takes the
    # claims off and revokes the member's sessions ("admin").
    inviteMember     = { visibility = "public", firestore = true, firebase_auth = "viewer" }
    myInvitations    = { visibility = "public", firestore = true }
    revokeInvitation = { visibility = "public", firestore = true, firebase_auth = "viewer" }
    companyMembers   = { visibility = "public", firestore = true, firebase_auth = "viewer" }
    removeMember     = { visibility = "public", firestore = true, firebase_auth = "admin" }
    # Accounts (docs/accounts.md): the export only reads. The deletion checks revocation ("viewer" would do)
    # and deletes the Firebase Auth account, which needs firebaseauth.admin; it erases a user's bookings,
    # payments and audit entries one small write at a time, so it gets time for a busy account's history.
    exportMyData  = { visibility = "public", firestore = true }
    deleteAccount = { visibility = "public", firestore = true, firebase_auth = "admin", timeout = 300 }

    # Door devices fetch the public keys without a token; no Firestore, no Auth.
    ticketKeys = { visibility = "public", ticket_keys = "verify" }
    # Event day: every scan is one small transaction; doors of a big venue scan ~150 tickets/s together.
    checkIn         = { visibility = "public", firestore = true, firebase_auth = "viewer", ticket_keys = "verify", max_instances = 50 }
    checkInManifest = { visibility = "public", firestore = true, firebase_auth = "viewer" }
    syncCheckIns    = { visibility = "public", firestore = true, firebase_auth = "viewer", ticket_keys = "verify", timeout = 60 }
    # Stripe retries failed deliveries; 5xx answers are how infrastructure failures ask it to.
    stripeWebhook = {
      visibility     = "public"
      firestore      = true
      publishes      = ["payment-confirmed", "user-notifications"]
      stripe_secrets = ["api_key", "webhook_secret"]
    }
    # Push subscription payment-confirmed-issue-tickets (pubsub.tf) delivers to it. It and reconcileTickets
    # are the only signers of tickets.
    issueTickets = { visibility = "internal", firestore = true, ticket_keys = "sign", publishes = ["user-notifications"] }
    # Compares shard counters with live bookings and logs differences (docs/inventory.md, Reconciliation);
    # it only reads. Every 10 minutes: an oversell is found while the event is still on sale.
    reconcileInventory = {
      visibility     = "internal"
      firestore      = true
      firestore_read = true
      schedule       = "*/10 * * * *"
      timeout        = 300
      max_instances  = 1
      concurrency    = 1
    }
    # Settles cancelled events' bookings and sends their refunds at CANCELLATION_REFUNDS_PER_SECOND for
    # CANCELLATION_RUN_SECONDS (50) of each minute; one run at a time, so the rate is the account's
    # (docs/cancellation.md). Its notifications go to the outbox; sweepOutbox publishes them.
    runEventCancellations = {
      visibility     = "internal"
      firestore      = true
      stripe_secrets = ["api_key"]
      schedule       = "* * * * *"
      timeout        = 60
      max_instances  = 1
      concurrency    = 1
    }
    # Publishes what stripeWebhook could not publish right after its commit (Pub/Sub outage).
    sweepOutbox = {
      visibility    = "internal"
      firestore     = true
      publishes     = ["payment-confirmed", "user-notifications"]
      schedule      = "* * * * *"
      timeout       = 50
      max_instances = 1
      concurrency   = 1
    }
    # Waitlist (docs/waitlist.md). Joining releases the event's lapsed holds first, like book.
    joinWaitlist  = { visibility = "public", firestore = true, firebase_auth = "viewer", publishes = ["user-notifications"] }
    myWaitlist    = { visibility = "public", firestore = true }
    leaveWaitlist = { visibility = "public", firestore = true, firebase_auth = "viewer" }
    # Offers the free tickets of every event with a waitlist and expires the entries of started events;
    # the durable half of the offers (the other half runs right after each return, in the returning call).
    offerWaitlistTickets = {
      visibility    = "internal"
      firestore     = true
      publishes     = ["user-notifications"]
      schedule      = "* * * * *"
      timeout       = 50
      max_instances = 1
      concurrency   = 1
    }
    # Issues the tickets of paid bookings that waited more than TICKETS_OVERDUE_AFTER_MINUTES (default 10)
    # for them, e.g. after their payment-confirmed message was dead-lettered; monitoring.tf alerts on it.
    reconcileTickets = {
      visibility    = "internal"
      firestore     = true
      ticket_keys   = "sign"
      publishes     = ["user-notifications"]
      schedule      = "*/5 * * * *"
      timeout       = 50
      max_instances = 1
      concurrency   = 1
    }
    # Devices and the inbox of the caller (docs/notifications.md).
    registerDevice   = { visibility = "public", firestore = true, firebase_auth = "viewer" }
    unregisterDevice = { visibility = "public", firestore = true, firebase_auth = "viewer" }
    myNotifications  = { visibility = "public", firestore = true }
    # Push subscription user-notifications-deliver (pubsub.tf) delivers to it; the only sender of pushes.
    deliverUserNotification = { visibility = "internal", firestore = true, fcm = true }
    # Works the event.updated announcements that updateEvent schedules, page by page (docs/notifications.md).
    fanOutNotifications = {
      visibility    = "internal"
      firestore     = true
      publishes     = ["user-notifications"]
      schedule      = "* * * * *"
      timeout       = 50
      max_instances = 1
      concurrency   = 1
    }
  }

  functions = { for name, spec in local.function_specs : name => merge(local.function_defaults, spec) }

  # function_sizing overrides the defaults above, attribute by attribute.
  sizing = {
    for name, fn in local.functions : name => {
      memory        = coalesce(try(var.function_sizing[name].memory, null), fn.memory)
      min_instances = coalesce(try(var.function_sizing[name].min_instances, null), fn.min_instances)
      max_instances = coalesce(try(var.function_sizing[name].max_instances, null), fn.max_instances)
    }
  }

  # The variables every function gets; shared/config/config.ts reads them. Cloud Functions no longer sets
  # GCLOUD_PROJECT on recent runtimes, and the Admin SDK needs the project id to check token audiences.
  platform_env = {
    GCLOUD_PROJECT = var.project
    LOG_LEVEL      = var.log_level
  }
}

resource "google_cloudfunctions2_function" "function" {
  for_each = local.functions

  name        = each.key
  location    = var.region
  description = "Event Manager: ${each.key} (${each.value.visibility})"

  build_config {
    runtime         = "nodejs22"
    entry_point     = each.key
    service_account = google_service_account.build.id

    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source[each.key].name
      }
    }
  }

  service_config {
    available_memory                 = local.sizing[each.key].memory
    available_cpu                    = each.value.cpu
    timeout_seconds                  = each.value.timeout
    min_instance_count               = local.sizing[each.key].min_instances
    max_instance_count               = local.sizing[each.key].max_instances
    max_instance_request_concurrency = each.value.concurrency
    service_account_email            = google_service_account.function[each.key].email
    all_traffic_on_latest_revision   = true
    # Internal functions are called only by Cloud Scheduler and Pub/Sub push of this project, which Cloud
    # Run counts as internal traffic when they call the run.app URL (service_config uri, as scheduler.tf
    # and pubsub.tf do); the internet cannot reach them at all, whatever its credentials.
    ingress_settings = each.value.visibility == "internal" ? "ALLOW_INTERNAL_ONLY" : "ALLOW_ALL"
    environment_variables = merge(
      local.platform_env,
      each.value.env,
      each.value.ticket_keys == "verify" ? { TICKET_PUBLIC_KEYS = var.ticket_public_keys } : {},
    )

    dynamic "secret_environment_variables" {
      for_each = toset(each.value.stripe_secrets)
      iterator = secret

      content {
        key        = local.stripe_secrets[secret.value].env
        project_id = var.project
        secret     = google_secret_manager_secret.stripe[secret.value].secret_id
        # New instances read the newest version; after rotating a secret, redeploy to replace old ones.
        version = "latest"
      }
    }

    dynamic "secret_environment_variables" {
      for_each = each.value.ticket_keys == "sign" ? [google_secret_manager_secret.ticket_signing_key.secret_id] : []
      iterator = secret

      content {
        key        = "TICKET_SIGNING_KEY"
        project_id = var.project
        secret     = secret.value
        # New instances sign with the newest version: rotating is adding a version (docs/check-in.md).
        version = "latest"
      }
    }
  }

  lifecycle {
    precondition {
      condition     = contains(["public", "internal"], each.value.visibility)
      error_message = "visibility of ${each.key} must be public or internal."
    }
    precondition {
      condition     = each.value.schedule == null || each.value.visibility == "internal"
      error_message = "${each.key} has a schedule but is public: scheduled functions must be internal."
    }
    precondition {
      condition     = length(setsubtract(keys(var.function_sizing), keys(local.functions))) == 0
      error_message = "function_sizing names functions that functions.tf does not declare."
    }
  }

  # The runtime identity must hold its roles before the first instance starts serving.
  depends_on = [
    google_project_service.required,
    google_project_iam_member.function,
    google_project_iam_member.build,
    google_secret_manager_secret_iam_member.function,
    google_secret_manager_secret_iam_member.ticket_signing_key,
  ]
}

# Public functions authenticate their callers themselves; Cloud Run must let everyone reach them.
resource "google_cloud_run_service_iam_member" "public" {
  for_each = { for name, fn in local.functions : name => fn if fn.visibility == "public" }

  location = var.region
  # The Cloud Run service is named after the function in lower case: read it, don't derive it.
  service = google_cloudfunctions2_function.function[each.key].service_config[0].service
  role    = "roles/run.invoker"
  member  = "allUsers"
}
