import Foundation

/// An e-mail as it goes on the wire (RFC 5322 and MIME): headers, a text and an HTML part,
/// UTF-8 throughout; 8-bit parts when the server takes 8BITMIME, base64 otherwise.
struct MailMessage: Sendable, Equatable {
    let from: String
    let fromName: String?
    let to: String
    let subject: String
    let text: String
    let html: String?
    let messageID: String
    let date: Date
    /// Marketing mail: the link that ends it, and the one-click form (RFC 8058).
    let unsubscribe: String?
    /// Files after the text (multipart/mixed), always in base64.
    var attachments: [MailAttachment] = []

    /// The whole message, CRLF line ends, before dot-stuffing.
    func rendered(eightBit: Bool, boundary: String) -> String {
        var headers = [
            "From: " + Self.address(from, name: fromName),
            "To: <\(to)>",
            "Subject: " + Self.encodedWord(subject),
            "Date: " + Self.rfc5322(date),
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
        ]
        if let unsubscribe {
            headers.append("List-Unsubscribe: <\(unsubscribe)>")
            headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        let encoding = eightBit ? "8bit" : "base64"
        func part(_ type: String, _ body: String) -> String {
            "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: \(encoding)\r\n\r\n" + Self.body(body, eightBit: eightBit)
        }
        // The readable part: the text alone, or the text and its HTML as alternatives.
        let content: (headers: [String], body: String)
        if let html {
            content = (["Content-Type: multipart/alternative; boundary=\"\(boundary)\""],
                       "--\(boundary)\r\n" + part("text/plain", text) + "\r\n"
                       + "--\(boundary)\r\n" + part("text/html", html) + "\r\n"
                       + "--\(boundary)--\r\n")
        } else {
            content = (["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: \(encoding)"], Self.body(text, eightBit: eightBit))
        }
        guard !attachments.isEmpty else {
            return (headers + content.headers).joined(separator: "\r\n") + "\r\n\r\n" + content.body
        }
        let mixed = "=_mixed" + boundary
        headers.append("Content-Type: multipart/mixed; boundary=\"\(mixed)\"")
        var message = headers.joined(separator: "\r\n") + "\r\n\r\n"
            + "--\(mixed)\r\n" + content.headers.joined(separator: "\r\n") + "\r\n\r\n" + content.body + "\r\n"
        for attachment in attachments {
            message += "--\(mixed)\r\n"
                + "Content-Type: \(attachment.contentType); name=\"\(attachment.filename)\"\r\n"
                + "Content-Disposition: attachment; filename=\"\(attachment.filename)\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Self.lines(attachment.data.base64EncodedString()) + "\r\n"
        }
        return message + "--\(mixed)--\r\n"
    }

    /// Lines ending in CRLF; base64 in 76-character lines when the server takes 7 bits only.
    static func body(_ text: String, eightBit: Bool) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if eightBit { return normalized.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n") + "\r\n" }
        return lines(Data(normalized.replacingOccurrences(of: "\n", with: "\r\n").utf8).base64EncodedString())
    }

    /// Base64 text in lines of 76 characters, each ending in CRLF (RFC 2045 §6.8).
    static func lines(_ encoded: String) -> String {
        var lines: [Substring] = []
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(encoded[start..<end])
            start = end
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 5321 §4.5.2: a line that starts with a dot gets another.
    static func dotStuffed(_ message: String) -> String {
        message.split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }
            .joined(separator: "\r\n")
    }

    /// An RFC 2047 encoded word (`=?utf-8?B?…?=`) for text that is not plain ASCII, in chunks a header line holds.
    static func encodedWord(_ text: String) -> String {
        guard text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }), !text.contains("=?") else {
            // Whole characters per word, at most 45 bytes each (60 in base64), words joined by folding white space.
            var words: [String] = []
            var chunk = ""
            for character in text {
                if chunk.utf8.count + String(character).utf8.count > 45 {
                    words.append(chunk)
                    chunk = ""
                }
                chunk.append(character)
            }
            if !chunk.isEmpty { words.append(chunk) }
            return words.map { "=?utf-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
        }
        return text
    }

    static func address(_ address: String, name: String?) -> String {
        guard let name, !name.isEmpty else { return "<\(address)>" }
        let plain = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0 == " " || ("0"..."9").contains($0)) }
        return (plain ? "\"\(name)\"" : encodedWord(name)) + " <\(address)>"
    }

    /// `Tue, 01 Dec 2026 14:02:47 +0000`.
    static func rfc5322(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let two = MessageFormat.two
        return "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
