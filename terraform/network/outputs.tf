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
