# A paid booking that reconcileTickets found without tickets is an incident even though the reconciliation
# repaired it: its payment-confirmed message was dead-lettered or is stuck. The reconciliation writes one
# ERROR line with jsonPayload.alert = "paid-booking-without-tickets" per booking (docs/observability.md);
# this metric counts them and an alert policy below fires on any.
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


# Counts the ERROR lines of reconcileInventory that report an event whose shard counters differ from its
# live bookings (docs/observability.md, Inventory reconciliation); an alert policy below fires on any.
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

# One alert policy per log-based metric above: any line counted within the period is an incident.
locals {
  log_alerts = {
    paid_bookings_without_tickets = {
      metric         = google_logging_metric.paid_bookings_without_tickets.name
      display_name   = "Paid bookings without tickets"
      condition      = "reconcileTickets found a paid booking without tickets"
      period_seconds = 300
      documentation  = "A paid booking waited too long for its tickets. Logs: `jsonPayload.alert=\"paid-booking-without-tickets\"` (bookingId, ticketsDueSince). Check the payment-confirmed-dead-letter subscription and issueTickets' errors; docs/observability.md."
    }
    inventory_imbalance = {
      metric         = google_logging_metric.inventory_imbalance.name
      display_name   = "Inventory out of balance"
      condition      = "reconcileInventory found shard counters that differ from the bookings"
      period_seconds = 600
      documentation  = "An event's inventory shards disagree with its live bookings: tickets may be oversold or lost. Logs: `jsonPayload.message=\"inventory out of balance\"` (eventId, differences per pool and shard); docs/observability.md."
    }
  }
}

resource "google_monitoring_alert_policy" "log_alert" {
  for_each = local.log_alerts

  display_name          = each.value.display_name
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = each.value.condition

    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${each.value.metric}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period   = "${each.value.period_seconds}s"
        per_series_aligner = "ALIGN_SUM"
      }

      trigger {
        count = 1
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = each.value.documentation
  }
}
