/// An optional that `--json` output and the dashboard's JSON always carry: nil is
/// encoded as `null` instead of the key being left out (what synthesized `Encodable`
/// does with optionals). Consumers of labctl's JSON read a fixed set of keys; with
/// this wrapper a type keeps its synthesized encoding instead of a hand-written
/// `encode(to:)` that lists every property again.
@propertyWrapper
public struct NullEncoded<Value: Encodable>: Encodable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

extension NullEncoded: Equatable where Value: Equatable {}
extension NullEncoded: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        wrappedValue = c.decodeNil() ? nil : try c.decode(Value.self)
    }
}
extension NullEncoded: Sendable where Value: Sendable {}
