locals {
  # The Firebase CLI deploys this same file (firebase.json); reading it here means the indexes Terraform
  # creates can never drift from the ones the code was tested against.
  firestore_index_file = jsondecode(file("${path.module}/../firestore.indexes.json"))

  composite_indexes = {
    for index in local.firestore_index_file.indexes :
    join(" ", concat(
      [index.collectionGroup, try(index.queryScope, "COLLECTION")],
      [for field in index.fields : "${field.fieldPath}:${try(field.order, field.arrayConfig)}"],
    )) => index
  }

  field_overrides = {
    for override in try(local.firestore_index_file.fieldOverrides, []) :
    "${override.collectionGroup}.${override.fieldPath}" => override
  }

  # Collections whose documents Firestore deletes once the Timestamp field has passed, by collection.
  # Deletion lags by up to a day, so the code still checks the field itself. Bookings are never here:
  # an expired hold stays a record of the booking.
  ttl_policies = {
    idempotencyKeys  = "expiresAt"
    rateLimits       = "expiresAt"
    accountDeletions = "expiresAt"
    # The notification inbox (users/{uid}/notifications), kept 90 days.
    notifications = "expiresAt"
  }
}

resource "google_firestore_database" "default" {
  name        = "(default)"
  location_id = var.firestore_location
  type        = "FIRESTORE_NATIVE"
  # Transactions lock what they read, as the local emulator does and the booking engine assumes.
  concurrency_mode                  = "PESSIMISTIC"
  app_engine_integration_mode       = "DISABLED"
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  delete_protection_state           = "DELETE_PROTECTION_ENABLED"
  # Removing the database from Terraform must never delete the bookings in it.
  deletion_policy = "ABANDON"

  depends_on = [google_project_service.required]
}

resource "google_firestore_index" "composite" {
  for_each = local.composite_indexes

  database    = google_firestore_database.default.name
  collection  = each.value.collectionGroup
  query_scope = try(each.value.queryScope, "COLLECTION")

  dynamic "fields" {
    for_each = each.value.fields

    content {
      field_path   = fields.value.fieldPath
      order        = try(fields.value.order, null)
      array_config = try(fields.value.arrayConfig, null)
    }
  }
}

resource "google_firestore_field" "override" {
  for_each = local.field_overrides

  database   = google_firestore_database.default.name
  collection = each.value.collectionGroup
  field      = each.value.fieldPath

  # An override without "indexes" keeps the inherited indexing; an empty list removes it.
  dynamic "index_config" {
    for_each = can(each.value.indexes) ? [each.value.indexes] : []

    content {
      dynamic "indexes" {
        for_each = index_config.value

        content {
          query_scope  = try(indexes.value.queryScope, "COLLECTION")
          order        = try(indexes.value.order, null)
          array_config = try(indexes.value.arrayConfig, null)
        }
      }
    }
  }

  dynamic "ttl_config" {
    for_each = try(each.value.ttl, false) ? [true] : []

    content {}
  }
}

resource "google_firestore_field" "ttl" {
  for_each = local.ttl_policies

  database   = google_firestore_database.default.name
  collection = each.key
  field      = each.value

  ttl_config {}

  # Nothing queries these timestamps; indexing ever-increasing values would only create a write hotspot.
  index_config {}
}
