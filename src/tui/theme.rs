//! Colours and styles. With `NO_COLOR` set (to anything non-empty, per no-color.org) only
//! modifiers remain: bold headings, reversed cursor, underlined highlights.

use crate::dissect::Severity;
use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set and non-empty.
    pub fn from_env() -> Theme {
        Theme { color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color { Style::default().fg(c) } else { Style::default() }
    }

    /// Packet-list colour of a protocol (after Wireshark's default colouring rules).
    pub fn protocol(&self, proto: &str, bad: bool) -> Style {
        if bad {
            return if self.color { Style::default().fg(Color::LightRed) } else { Style::default().add_modifier(Modifier::BOLD) };
        }
        let c = match proto {
            "TCP" => Color::Rgb(0xb0, 0xa8, 0xff),
            "UDP" => Color::Rgb(0x8c, 0xc8, 0xff),
            "DNS" | "MDNS" | "LLMNR" => Color::Rgb(0x9c, 0xe0, 0xff),
            "ARP" => Color::Rgb(0xf0, 0xd8, 0x90),
            "ICMP" | "ICMPv6" => Color::Rgb(0xf0, 0xa8, 0xff),
            "HTTP" | "TLS" | "TLSv1.2" | "TLSv1.3" | "QUIC" => Color::Rgb(0xa8, 0xf0, 0xa0),
            "IPv4" | "IPv6" => Color::Rgb(0xe0, 0xe0, 0xe0),
            _ => Color::Reset,
        };
        self.fg(c)
    }

    pub fn header(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD).patch(self.fg(Color::Yellow))
    }

    pub fn title(&self, focused: bool) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD);
        if focused { s.patch(self.fg(Color::LightCyan)).add_modifier(Modifier::REVERSED) } else { s }
    }

    pub fn cursor(&self, focused: bool) -> Style {
        if !self.color {
            return if focused { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default().add_modifier(Modifier::UNDERLINED) };
        }
        if focused {
            Style::default().bg(Color::Blue).fg(Color::White).add_modifier(Modifier::BOLD)
        } else {
            Style::default().bg(Color::DarkGray).fg(Color::White)
        }
    }

    /// The selected field's bytes in the hex view.
    pub fn highlight(&self) -> Style {
        if self.color {
            Style::default().bg(Color::Yellow).fg(Color::Black)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    /// The hex view's own cursor byte.
    pub fn hex_cursor(&self) -> Style {
        Style::default().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
    }

    pub fn osi_heading(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD).patch(self.fg(Color::LightYellow))
    }

    pub fn layer_heading(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn generated(&self) -> Style {
        self.fg(Color::Gray).add_modifier(Modifier::ITALIC)
    }

    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Error => self.fg(Color::LightRed).add_modifier(Modifier::BOLD),
            Severity::Warn => self.fg(Color::Yellow),
            Severity::Note => self.fg(Color::LightCyan),
            Severity::Chat => Style::default(),
        }
    }

    pub fn error(&self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::LightGreen)
    }

    pub fn status(&self) -> Style {
        if self.color { Style::default().bg(Color::Rgb(0x30, 0x30, 0x50)).fg(Color::White) } else { Style::default().add_modifier(Modifier::REVERSED) }
    }

    /// Follow stream: what the stream's first sender sent (node 0) and what its peer sent, in
    /// Wireshark's red and blue; without colour the peer's bytes are bold.
    pub fn follow_side(&self, node: u8) -> Style {
        match (self.color, node) {
            (true, 0) => Style::default().fg(Color::LightRed),
            (true, _) => Style::default().fg(Color::LightBlue),
            (false, 0) => Style::default(),
            (false, _) => Style::default().add_modifier(Modifier::BOLD),
        }
    }

    /// Rows matching the filter in "mark matches" mode.
    pub fn marked(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD).patch(self.fg(Color::LightGreen))
    }

    /// Frames the user marked (`m`): Wireshark's black rows with white text; without colour,
    /// reversed.
    pub fn user_marked(&self) -> Style {
        if self.color {
            Style::default().bg(Color::Black).fg(Color::White).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }
}
