/// The SMTP login. The password never appears in a description, a log or an error.
public struct SMTPCredentials: Sendable, CustomStringConvertible {
    public let user: String
    let password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    public var description: String { "\(user) (password hidden)" }
}
