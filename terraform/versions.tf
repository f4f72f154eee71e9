terraform {
  # optional() object attributes and check blocks.
  required_version = ">= 1.5.0"

  required_providers {
    # The versions whose schemas terraform/provider-schema/ holds, which npm test checks every block
    # against: upgrade both together (docs/deployment.md).
    google = {
      source  = "hashicorp/google"
      version = "~> 6.50"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.7"
    }
  }
}

provider "google" {
  project = var.project
  region  = var.region

  # Identity Platform refuses user credentials (gcloud auth application-default login) unless requests
  # name a quota project; billing them to the project itself works for service accounts too.
  user_project_override = true
  billing_project       = var.project
}
