output "vpc_id" {
  description = "ID of the lab VPC."
  value       = aws_vpc.this.id
}

output "subnet_ids" {
  description = "IDs of the public subnets, in the order of var.availability_zones."
  value       = [for az in var.availability_zones : aws_subnet.public[az].id]
}

output "vpc_cidr" {
  description = "CIDR block of the lab VPC."
  value       = aws_vpc.this.cidr_block
}

output "lab_id" {
  description = "The lab's id (LabId tag; \"\" without one). In S3 mode a second trainer's labctl reads it from this state in the bucket and takes it as its own."
  value       = var.lab_id
}
