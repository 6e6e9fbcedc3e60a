env       = "prod"
api_image = "123456789012.dkr.ecr.us-east-2.amazonaws.com/ledger-api:1.14.2"
