// Package ec2 holds the rules for EC2 resources: volumes, subnets, VPCs,
// instances and launch templates (EC2-nnn), security groups (SG-nnn) and
// network ACLs (NACL-nnn), with the entry helpers they share.
package ec2
