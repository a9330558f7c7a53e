//! The interfaces that can be captured on, listed through pnet's datalink module, with the
//! link type their frames will have (from `/sys/class/net/NAME/type`, the ARPHRD_* value).

use super::source::LiveError;
use crate::capture::linktype;
use std::net::IpAddr;

/// One capturable interface.
#[derive(Clone, Debug)]
pub struct Interface {
    pub name: String,
    pub index: u32,
    pub addresses: Vec<(IpAddr, u8)>,
    pub is_up: bool,
    pub is_loopback: bool,
    pub mac: Option<String>,
    /// LINKTYPE_* of frames captured on it.
    pub link_type: u32,
}

/// Every interface the system reports, in index order.
pub fn list() -> Vec<Interface> {
    let mut v: Vec<Interface> = pnet::datalink::interfaces()
        .into_iter()
        .map(|i| Interface {
            link_type: link_type_of(&i.name),
            index: i.index,
            addresses: i.ips.iter().map(|n| (n.ip(), n.prefix())).collect(),
            is_up: i.is_up(),
            is_loopback: i.is_loopback(),
            mac: i.mac.filter(|m| !m.is_zero()).map(|m| m.to_string()),
            name: i.name,
        })
        .collect();
    v.sort_by_key(|i| i.index);
    v
}

/// The interface called `name`.
pub fn find(name: &str) -> Result<Interface, LiveError> {
    list()
        .into_iter()
        .find(|i| i.name == name)
        .ok_or_else(|| LiveError::NoSuchInterface { name: name.to_string() })
}

/// ARPHRD_* → LINKTYPE_* for what an AF_PACKET raw socket delivers.
fn link_type_of(name: &str) -> u32 {
    let arphrd = std::fs::read_to_string(format!("/sys/class/net/{name}/type"))
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok());
    match arphrd {
        // ARPHRD_NONE (tun), ARPHRD_TUNNEL, ARPHRD_TUNNEL6, ARPHRD_SIT, ARPHRD_IPGRE: bare IP.
        Some(0xFFFE | 768 | 769 | 776 | 778) => linktype::RAW,
        _ => linktype::ETHERNET,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn loopback_is_listed_as_ethernet() {
        let lo = super::list().into_iter().find(|i| i.is_loopback);
        let Some(lo) = lo else {
            eprintln!("skipped: no loopback interface");
            return;
        };
        assert_eq!(lo.link_type, crate::capture::linktype::ETHERNET);
        assert!(lo.addresses.iter().any(|(a, _)| a.is_loopback()));
    }
}
