/// The participant cap of a session (`max_participants`, issue 23): past it the
/// intake answers `session-full` and `labctl keys add` refuses, so a join link that
/// leaks into a chat fills one session, not the lab-wide pool of pod networks.
extension SessionConfig {
    /// 50: a large classroom or two small ones, about what one trainer can look after in a
    /// day, and far above a typical class of 10–25; a bigger event raises it in the file.
    /// A file without `max_participants` (written before it existed) gets the same cap.
    public static let defaultMaxParticipants = 50
    /// The highest cap a file may set: a quarter of the default pod-network pool (4,608
    /// clusters), so one session can never take the whole lab's pool.
    public static let maximumParticipantCap = 1_000
}
