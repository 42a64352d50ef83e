import Contracts
import Foundation
import Kernel
import Mustache

/// A message written out for one channel: its text, and for e-mail the subject and HTML.
struct RenderedMessage: Sendable, Equatable {
    var text: String
    var subject: String?
    var html: String?
    /// WhatsApp template parameters, in order, when the template has an approved WhatsApp form.
    var whatsAppParameters: [String]?
}

/// Fills a template with an order's facts.
enum MessageRenderer {
    static func render(_ template: TemplateBook.Compiled, channel: MessageChannel, variables: [String: Any], language: String) -> RenderedMessage {
        let body = template.body.template(for: language).render(variables)
        var message = RenderedMessage(text: Self.tidy(body))
        if channel == .email {
            message.subject = template.subject.map { Self.tidy($0.template(for: language).render(variables)) }
        }
        if channel == .whatsapp, let whatsApp = template.whatsApp {
            message.whatsAppParameters = whatsApp.parameters.map { variables[$0].map { "\($0)" } ?? "" }
        }
        return message
    }

    /// An e-mail's HTML part (the text, escaped, in paragraphs, when the template has no HTML of its
    /// own), and the unsubscribe line of a commercial one in both parts.
    static func mail(_ message: RenderedMessage, unsubscribe: String?, language: String) -> RenderedMessage {
        var message = message
        let english = language.lowercased().hasPrefix("en")
        var html = message.html ?? message.text.split(separator: "\n", omittingEmptySubsequences: true)
            .map { "<p>" + MarkupText.escaped(String($0)) + "</p>" }.joined(separator: "\n")
        if let unsubscribe {
            let words = english ? "Stop these e-mails" : "Bu e-postaları almak istemiyorum"
            message.text += "\n\n\(words): \(unsubscribe)"
            html += "\n<p><a href=\"\(MarkupText.escaped(unsubscribe))\">\(words)</a></p>"
        }
        message.html = "<!doctype html>\n<html><body>\n" + html + "\n</body></html>"
        return message
    }

    /// Spaces left by an empty variable collapsed; no leading or trailing space.
    static func tidy(_ text: String) -> String {
        // On the UTF-8 bytes: a space is one byte, and never part of another character's bytes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var lastSpace = false
        for byte in text.utf8 {
            if byte == 0x20 {
                if !lastSpace { bytes.append(byte) }
                lastSpace = true
            } else {
                bytes.append(byte)
                lastSpace = false
            }
        }
        let result = String(decoding: bytes, as: UTF8.self)
        // Trimmed of white space and newlines at both ends (as `trimmingCharacters(in: .whitespacesAndNewlines)`, without Foundation's bridging).
        guard let first = result.firstIndex(where: { !$0.isWhitespace }), let last = result.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(result[first...last])
    }
}
