terraform {
  required_version = ">= 1.5"

  backend "s3" {
    bucket = "ledger-terraform-state"
    key    = "prod/ledger.tfstate"
    region = "us-east-2"
  }

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

locals {
  name = "ledger-${var.env}"
  tags = {
    app = "ledger"
    env = var.env
  }
  queues    = toset(["ingest", "reports"])
  schedules = yamldecode(file("${path.module}/schedules.yaml"))
}

module "vpc" {
  source = "./modules/vpc"

  name       = local.name
  cidr_block = var.vpc_cidr
  az_count   = 2
}
