/// Amazon SES v2 from the environment: `SES_REGION`, `SES_ENDPOINT` (default
/// `https://email.<region>.amazonaws.com`), `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`.
public struct SESSettings: Sendable, Hashable {
    /// The region.
    public var region: String
    /// The API's base URL, without a trailing slash.
    public var endpoint: String
    /// The access key id.
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String

    /// Settings from their parts; `endpoint` defaults to the region's.
    public init(region: String, endpoint: String? = nil, accessKeyID: String, secretAccessKey: String) {
        self.region = region
        let base = endpoint ?? "https://email.\(region).amazonaws.com"
        self.endpoint = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }
}
