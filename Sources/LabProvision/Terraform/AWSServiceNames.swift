/// Which AWS API a resource of the session's stacks is made through, and the setting that
/// points it elsewhere (an emulator): for messages about a resource that does not finish.
enum AWSServiceNames {
    /// Resource type prefix → the API's name and its service id in `AWS_ENDPOINT_URL_<ID>`.
    static let services: [(prefix: String, name: String, id: String)] = [
        ("aws_budgets_", "the AWS Budgets API", "BUDGETS"),
        ("aws_scheduler_", "the EventBridge Scheduler API", "SCHEDULER"),
        ("aws_iam_", "the IAM API", "IAM"),
        ("aws_servicequotas_", "the Service Quotas API", "SERVICE_QUOTAS"),
        ("aws_s3_", "the S3 API", "S3"),
        ("aws_", "the EC2 API", "EC2"),
    ]

    /// "the AWS Budgets API (AWS_ENDPOINT_URL_BUDGETS, else AWS_ENDPOINT_URL, else AWS itself)".
    static func describe(resourceAddress: String) -> String {
        let type = resourceAddress.split(separator: ".").first { $0.hasPrefix("aws_") }.map(String.init) ?? resourceAddress
        guard let service = services.first(where: { type.hasPrefix($0.prefix) }) else { return "the API behind \(type)" }
        return "\(service.name) (reached through AWS_ENDPOINT_URL_\(service.id), else AWS_ENDPOINT_URL, else AWS itself)"
    }
}
