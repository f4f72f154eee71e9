# A paid booking that reconcileTickets found without tickets is an incident even though the reconciliation
# repaired it: its payment-confirmed message was dead-lettered or is stuck. The reconciliation writes one
# ERROR line with jsonPayload.alert = "paid-booking-without-tickets" per booking (docs/observability.md);
# this metric counts them and the policy alerts on any.
resource "google_logging_metric" "paid_bookings_without_tickets" {
  name        = "paid-bookings-without-tickets"
  description = "Paid bookings that reconcileTickets found without tickets (issued late, or still failing)."
  filter      = "severity=ERROR AND jsonPayload.alert=\"paid-booking-without-tickets\""

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }

  depends_on = [google_project_service.required]
}

resource "google_monitoring_alert_policy" "paid_bookings_without_tickets" {
  display_name          = "Paid bookings without tickets"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = "reconcileTickets found a paid booking without tickets"

    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.paid_bookings_without_tickets.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_SUM"
      }

      trigger {
        count = 1
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A paid booking waited too long for its tickets. Logs: `jsonPayload.alert=\"paid-booking-without-tickets\"` (bookingId, ticketsDueSince). Check the payment-confirmed-dead-letter subscription and issueTickets' errors; docs/observability.md."
  }
}

# Counts the ERROR lines of reconcileInventory that report an event whose shard counters differ from its
# live bookings (docs/observability.md, Inventory reconciliation); the policy below alerts on any.
resource "google_logging_metric" "inventory_imbalance" {
  name        = "inventory_imbalance"
  description = "Events whose inventory shards disagree with their live bookings (reconcileInventory)."
  filter      = <<-EOT
    resource.type="cloud_run_revision"
    resource.labels.service_name="${google_cloudfunctions2_function.function["reconcileInventory"].service_config[0].service}"
    severity=ERROR
    jsonPayload.message="inventory out of balance"
  EOT

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"

    labels {
      key         = "event_id"
      value_type  = "STRING"
      description = "The event out of balance."
    }
  }

  label_extractors = {
    "event_id" = "EXTRACT(jsonPayload.eventId)"
  }

  depends_on = [google_project_service.required]
}

resource "google_monitoring_alert_policy" "inventory_imbalance" {
  display_name          = "Inventory out of balance"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = "reconcileInventory found shard counters that differ from the bookings"

    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.inventory_imbalance.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period   = "600s"
        per_series_aligner = "ALIGN_SUM"
      }

      trigger {
        count = 1
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "An event's inventory shards disagree with its live bookings: tickets may be oversold or lost. Logs: `jsonPayload.message=\"inventory out of balance\"` (eventId, differences per pool and shard); docs/observability.md."
  }
}
