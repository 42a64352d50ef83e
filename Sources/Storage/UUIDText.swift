import Foundation

/// UUIDs as the text SQLite rows hold them (`UUID.uuidString`: upper-case, hyphenated), written
/// and read by table. Foundation's own `uuidString` and `UUID(uuidString:)` go through the C
/// library's printf and scanf on Linux, a cost every bound id and every id column paid.
enum UUIDText {
    private static let digits = Array("0123456789ABCDEF".utf8)

    static func string(_ uuid: UUID) -> String {
        let bytes = uuid.uuid
        return withUnsafeBytes(of: bytes) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                var position = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    out[position] = digits[Int(raw[index] >> 4)]
                    out[position + 1] = digits[Int(raw[index] & 0x0f)]
                    position += 2
                }
                return position
            }
        }
    }

    /// The UUID `text` spells (hyphenated, either case), or nil.
    static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { utf8 -> UUID? in
            guard utf8.count == 36 else { return nil }
            var bytes = [UInt8](repeating: 0, count: 16)
            var index = 0
            var position = 0
            while position < 36 {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard utf8[position] == UInt8(ascii: "-") else { return nil }
                    position += 1
                    continue
                }
                guard let high = nibble(utf8[position]), let low = nibble(utf8[position + 1]) else { return nil }
                bytes[index] = high << 4 | low
                index += 1
                position += 2
            }
            return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        }
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
