resource "aws_security_group" "db" {
  name        = "${local.name}-db"
  description = "Postgres for the ledger"
  vpc_id      = module.vpc.vpc_id

  ingress {
    description     = "Postgres from the API"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.api.id]
  }
}

resource "aws_db_subnet_group" "main" {
  name       = "${local.name}-db"
  subnet_ids = module.vpc.private_subnet_ids
}

resource "aws_db_instance" "main" {
  identifier              = "${local.name}-db"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 50
  storage_encrypted       = true
  multi_az                = var.env == "prod"
  backup_retention_period = 7
  deletion_protection     = true
  username                = "ledger"
  password                = "not-a-real-password"
  db_subnet_group_name    = aws_db_subnet_group.main.name
  vpc_security_group_ids  = [aws_security_group.db.id]
  skip_final_snapshot     = false
}
