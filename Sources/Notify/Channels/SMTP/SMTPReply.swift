/// One SMTP reply: a three-digit code and its lines (RFC 5321 §4.2; `250-…` lines continue it).
struct SMTPReply: Sendable, Equatable {
    let code: Int
    let lines: [String]

    var isPositive: Bool { (200..<400).contains(code) }
    /// 4xx: the server cannot now, try again later.
    var isTransient: Bool { (400..<500).contains(code) }

    var text: String { lines.joined(separator: " ") }

    /// The EHLO keywords (`STARTTLS`, `AUTH PLAIN LOGIN`, `8BITMIME`), uppercased, after the greeting line.
    var extensions: [String: [String]] {
        var result: [String: [String]] = [:]
        for line in lines.dropFirst() {
            let words = line.split(separator: " ").map { String($0).uppercased() }
            guard let keyword = words.first else { continue }
            result[keyword] = Array(words.dropFirst())
        }
        return result
    }
}

/// Assembles replies from the lines a server sends.
struct SMTPReplyParser {
    private var code: Int?
    private var lines: [String] = []

    /// Inside a multi-line reply (`250-…` read, its last line not yet).
    var isMidReply: Bool { code != nil }

    /// Takes one line (without CRLF); returns the reply it completes, if any. Throws on a line
    /// that is not a reply.
    mutating func take(_ line: String) throws -> SMTPReply? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, let number = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(number) else {
            throw SMTPProtocolError("the server's answer is not an SMTP reply")
        }
        if let code, code != number { throw SMTPProtocolError("reply lines with different codes (\(code), \(number))") }
        code = number
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard lines.count <= 100 else { throw SMTPProtocolError("a reply of more than 100 lines") }
        if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") {
            defer { self.code = nil; lines = [] }
            return SMTPReply(code: number, lines: lines)
        }
        guard bytes[3] == UInt8(ascii: "-") else { throw SMTPProtocolError("a reply line neither ends nor continues: \(line.prefix(80))") }
        return nil
    }
}

struct SMTPProtocolError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
