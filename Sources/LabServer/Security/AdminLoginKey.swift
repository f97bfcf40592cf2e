import LabCore

/// What a dashboard login is stored and looked up under: the SHA-256 of its cookie
/// together with the digest of the admin token it was made with. A rotated token
/// (`labctl serve --new-admin-token`, a different `LABCTL_ADMIN_TOKEN`) makes every
/// older cookie look up a key that is not stored, so those logins end, also when
/// the new token comes from the environment and nothing in the registry changed.
enum AdminLoginKey {
    static func digest(cookie: String, adminTokenDigest: String) -> String {
        SecretToken.digest(of: adminTokenDigest + ":" + cookie)
    }
}
