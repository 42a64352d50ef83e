import Foundation

/// The header lines of a message (unfolded), and its body.
public func headers(of message: String) -> (fields: [String: String], body: String) {
    let parts = message.components(separatedBy: "\r\n\r\n")
    var fields: [String: String] = [:]
    var last: String?
    for line in parts[0].components(separatedBy: "\r\n") {
        if line.hasPrefix(" ") || line.hasPrefix("\t"), let key = last {
            fields[key, default: ""] += line
        } else if let colon = line.firstIndex(of: ":") {
            let key = String(line[..<colon]).lowercased()
            fields[key] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            last = key
        }
    }
    return (fields, parts.dropFirst().joined(separator: "\r\n\r\n"))
}

/// Decodes `=?utf-8?B?…?=` words; the white space between two of them is not part of the text (RFC 2047 §6.2).
public func decodedWords(_ header: String) -> String {
    var result = ""
    var previousEncoded = false
    for (index, word) in header.components(separatedBy: " ").filter({ !$0.isEmpty }).enumerated() {
        if word.hasPrefix("=?utf-8?B?"), word.hasSuffix("?="), let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) {
            if index > 0 && !previousEncoded { result += " " }
            result += String(decoding: data, as: UTF8.self)
            previousEncoded = true
        } else {
            if index > 0 { result += " " }
            result += word
            previousEncoded = false
        }
    }
    return result
}

/// A MIME message as a mail client reads it: headers, the readable text, and the attachments.
public struct MIMEMessage {
    public struct Attachment: Sendable {
        public let filename: String
        public let contentType: String
        public let data: Data
    }

    public let headers: [String: String]
    public var text = ""
    public var attachments: [Attachment] = []

    public init(_ raw: String) {
        let (headers, body) = Self.split(raw)
        self.headers = headers
        walk(headers: headers, body: body)
    }

    public func header(_ name: String) -> String? { headers[name] }

    private mutating func walk(headers: [String: String], body: String) {
        let type = headers["content-type"] ?? "text/plain"
        if type.hasPrefix("multipart/"), let boundary = Self.parameter("boundary", of: type) {
            for part in body.components(separatedBy: "--" + boundary).dropFirst() where !part.hasPrefix("--") {
                let (partHeaders, partBody) = Self.split(String(part.drop { $0 == "\r\n" || $0 == "\n" }))
                walk(headers: partHeaders, body: partBody)
            }
            return
        }
        let decoded: Data = headers["content-transfer-encoding"] == "base64"
            ? Data(base64Encoded: body.components(separatedBy: .whitespacesAndNewlines).joined()) ?? Data()
            : Data(body.utf8)
        if let disposition = headers["content-disposition"], disposition.hasPrefix("attachment") {
            attachments.append(Attachment(filename: Self.parameter("filename", of: disposition) ?? "", contentType: type, data: decoded))
        } else if type.hasPrefix("text/plain") {
            text += String(decoding: decoded, as: UTF8.self)
        }
    }

    static func split(_ raw: String) -> ([String: String], String) {
        let parsed = TestSupport.headers(of: raw)
        return (parsed.fields, parsed.body)
    }

    static func parameter(_ name: String, of header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == name { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }
}
