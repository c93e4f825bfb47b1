// Command bootstrap is the S3-upload Lambda function.
package main

func main() {}
