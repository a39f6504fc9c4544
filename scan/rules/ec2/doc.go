// Package ec2 holds the rules for EC2 resources: volumes and security
// groups (rule IDs EC2-nnn and SG-nnn), with the security group entry
// helpers they share.
package ec2
