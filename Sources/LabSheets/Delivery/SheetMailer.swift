/// Sends a batch of mails one by one under a rate limit, reporting each result as it
/// happens (so the caller can record it before the next one goes out).
public struct SheetMailer {
    public let client: SMTPClient
    private var pacer: SendPacer

    public init(client: SMTPClient, pacer: SendPacer) {
        self.client = client
        self.pacer = pacer
    }

    /// Sends every mail; one failure does not stop the others, except one that says the
    /// server itself cannot be used (`SMTPError.endsTheBatch`, e.g. its certificate does not
    /// verify): that one is returned, not reported, and the rest are not tried. `Tag` is the
    /// caller's handle on each mail (e.g. the participant), handed back with its result.
    @discardableResult
    public mutating func send<Tag>(_ mails: [(tag: Tag, mail: MailMessage)],
                                   each report: (Tag, MailMessage, Result<SMTPReply, SMTPError>) throws -> Void) rethrows -> SMTPError? {
        for (tag, mail) in mails {
            pacer.waitTurn()
            let result: Result<SMTPReply, SMTPError>
            do { result = .success(try client.send(mail)) } catch { result = .failure(error) }
            if case .failure(let error) = result, error.endsTheBatch { return error }
            try report(tag, mail, result)
        }
        return nil
    }
}
