// Package amazonmq holds the rules for Amazon MQ brokers.
package amazonmq

const brokerType = "AWS::AmazonMQ::Broker"
