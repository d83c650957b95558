//! The typst `World`: one in-memory source file, the fonts, no other files.

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::Fonts;

pub(crate) struct ReportWorld<'a> {
    library: LazyHash<Library>,
    main: Source,
    fonts: &'a Fonts,
}

impl<'a> ReportWorld<'a> {
    pub(crate) fn new(template: &str, inputs: Dict, fonts: &'a Fonts) -> Self {
        let path = VirtualPath::new("report.typ").expect("valid virtual path");
        let id = FileId::new(RootedPath::new(VirtualRoot::Project, path));
        ReportWorld {
            library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
            main: Source::new(id, template.to_string()),
            fonts,
        }
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    /// No clock: every date in a report comes from its data (the generated-at time is the caller's), so the
    /// same input gives the same PDF; `datetime.today()` in the template would be an error.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_without_slash().into())
}
