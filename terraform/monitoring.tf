# Counts the ERROR lines of reconcileInventory that report an event whose shard counters differ from its
# live bookings (docs/observability.md, Inventory reconciliation). Alert on any point above 0: an alert
# policy needs a notification channel, which belongs to the operator, so it is left to them.
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
