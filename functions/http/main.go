// Command bootstrap is the HTTP Lambda function (API Gateway HTTP API, REST API and
// function URLs).
package main

func main() {}
