variable "region" {
  type    = string
  default = "us-east-2"
}

variable "env" {
  type = string
}

variable "vpc_cidr" {
  type    = string
  default = "10.40.0.0/16"
}

variable "api_image" {
  type = string
}

variable "desired_count" {
  type    = number
  default = 2
}

variable "alarm_email" {
  type    = string
  default = "oncall@ledger.example.com"
}

variable "certificate_arn" {
  type    = string
  default = "arn:aws:acm:us-east-2:123456789012:certificate/6f1c2a9e-ledger"
}
