locals {
  # `npm run build` writes one self-contained directory per function.
  bundle_dirs = { for name in keys(local.functions) : name => "${path.module}/../dist/${name}" }

  # Named by content, not by zip bytes (zip entries carry timestamps): an unchanged bundle keeps its
  # object, so only the functions whose code changed are rebuilt and redeployed.
  bundle_hashes = {
    for name, dir in local.bundle_dirs : name => sha256(join("\n", [
      for file in fileset(dir, "**") : "${file} ${filesha256("${dir}/${file}")}"
    ]))
  }
}

resource "google_storage_bucket" "sources" {
  name                        = "${var.project}-function-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  depends_on = [google_project_service.required]
}

data "archive_file" "source" {
  for_each = local.bundle_dirs

  type        = "zip"
  source_dir  = each.value
  output_path = "${path.module}/.terraform/archives/${each.key}.zip"
}

resource "google_storage_bucket_object" "source" {
  for_each = local.bundle_dirs

  bucket = google_storage_bucket.sources.name
  name   = "${each.key}/${local.bundle_hashes[each.key]}.zip"
  source = data.archive_file.source[each.key].output_path
}
