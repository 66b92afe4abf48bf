//! The bundle read as a stream: its sections in order, each record deserialized and
//! handed to the importer as soon as it is read, so memory holds one record at a time.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserializer, Serialize};

use super::format::{FORMAT, SECTIONS, VERSION};
use super::import::Importer;
use crate::db::DbConnection;

pub(super) struct BundleVisitor<'a> {
    pub(super) imp: &'a mut Importer,
    pub(super) conn: &'a mut DbConnection,
    pub(super) progress: &'a mut dyn FnMut(u64),
}

impl<'de> Visitor<'de> for BundleVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Samverkan bundle (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (mut format, mut version) = (false, false);
        while let Some(name) = map.next_key::<String>()? {
            self.imp.position = name.clone();
            match name.as_str() {
                "format" => {
                    format = true;
                    let value: serde_json::Value = map.next_value()?;
                    if value.as_str() != Some(FORMAT) {
                        self.imp.error("format", format!("must be {FORMAT:?}"));
                    }
                }
                "version" => {
                    version = true;
                    let value: serde_json::Value = map.next_value()?;
                    if value.as_i64() != Some(i64::from(VERSION)) {
                        self.imp.error("version", format!("must be {VERSION}"));
                    }
                }
                "description" => {
                    map.next_value::<IgnoredAny>()?;
                }
                section => match SECTIONS.iter().position(|s| *s == section) {
                    Some(index) => {
                        if index < self.imp.section {
                            self.imp.error(
                                section,
                                format!("must come before {}", SECTIONS[self.imp.section]),
                            );
                        }
                        self.imp.section = self.imp.section.max(index);
                        let seed = SectionSeed {
                            name: SECTIONS[index],
                            imp: &mut *self.imp,
                            conn: &mut *self.conn,
                            progress: &mut *self.progress,
                        };
                        match index {
                            0 => {
                                map.next_value_seed(seed.of::<super::format::OrganizationRecord>())?
                            }
                            1 => map.next_value_seed(seed.of::<super::format::PersonRecord>())?,
                            2 => map.next_value_seed(seed.of::<super::format::UserRecord>())?,
                            3 => map.next_value_seed(seed.of::<super::format::NetworkRecord>())?,
                            4 => map.next_value_seed(seed.of::<super::format::SeriesRecord>())?,
                            5 => map.next_value_seed(seed.of::<super::format::MeetingRecord>())?,
                            6 => map.next_value_seed(seed.of::<super::format::MinutesRecord>())?,
                            7 => map.next_value_seed(seed.of::<super::format::ThemeRecord>())?,
                            _ => map.next_value_seed(seed.of::<super::format::DialogueRecord>())?,
                        }
                    }
                    None => {
                        self.imp
                            .error(section, "is not a section of a bundle (see the README)");
                        map.next_value::<IgnoredAny>()?;
                    }
                },
            }
            if !self.imp.writing() {
                break;
            }
        }
        if !format {
            self.imp.error("format", format!("is required: {FORMAT:?}"));
        }
        if !version {
            self.imp.error("version", format!("is required: {VERSION}"));
        }
        Ok(())
    }
}

/// A record of some section, applied by the importer as soon as it is read.
pub(super) trait Record: DeserializeOwned + Serialize {
    fn apply(self, imp: &mut Importer, conn: &mut DbConnection, at: &str);
}

struct SectionSeed<'a> {
    name: &'static str,
    imp: &'a mut Importer,
    conn: &'a mut DbConnection,
    progress: &'a mut dyn FnMut(u64),
}

impl<'a> SectionSeed<'a> {
    fn of<T: Record>(self) -> TypedSection<'a, T> {
        TypedSection {
            inner: self,
            _record: PhantomData,
        }
    }
}

struct TypedSection<'a, T> {
    inner: SectionSeed<'a>,
    _record: PhantomData<T>,
}

impl<'de, T: Record> DeserializeSeed<'de> for TypedSection<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: Record> Visitor<'de> for TypedSection<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of {}", self.inner.name)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let SectionSeed {
            name,
            imp,
            conn,
            progress,
        } = self.inner;
        let started = std::time::Instant::now();
        let mut i = 0usize;
        loop {
            imp.position = format!("{name}[{i}]");
            let Some(record) = seq.next_element::<T>()? else {
                break;
            };
            let at = imp.position.clone();
            if imp.writing() {
                record.apply(imp, conn, &at);
            }
            imp.done += 1;
            progress(imp.done);
            i += 1;
        }
        log::info!("import: {i} {name} in {:.1?}", started.elapsed());
        Ok(())
    }
}
