/// Why a mail could not be built or delivered; messages name the thing and the next step.
public enum MailError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidAddress(String)
    case noAddress(String)

    public var description: String {
        switch self {
        case .invalidAddress(let a):
            return "'\(a)' is not a usable e-mail address (ASCII, name@domain.tld, no spaces); correct it in the registry (`labctl keys add <session> <name> --file KEY.pub --email ADDR`)."
        case .noAddress(let name):
            return "\(name) has no e-mail address; record one with their key (`labctl keys add <session> \(name) --file KEY.pub --email ADDR`), or hand them the printed sheet."
        }
    }
}
