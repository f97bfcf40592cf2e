import ArgumentParser

/// `labctl keys …`: participants' public keys.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check, add, import, export, list, remove and push participants' ed25519 public keys.",
        discussion: """
        Keys are validated as OpenSSH reads them (ed25519 only) and stored per session.
          labctl keys check ~/.ssh/id_ed25519.pub
          labctl keys add session-1 jane.doe --file jane.pub --email jane@example.org
          labctl keys import session-1            # participants/session-1/*.pub
        """,
        subcommands: [KeysCheck.self, KeysAdd.self, KeysImport.self, KeysExport.self, KeysList.self, KeysRemove.self, KeysPush.self]
    )
}
