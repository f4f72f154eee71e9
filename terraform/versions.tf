terraform {
  # optional() object attributes and check blocks.
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.4"
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
