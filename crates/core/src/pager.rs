//! Pagination as a stream of items, for every operation a spec marks
//! `x-confapi-paginated`, whether it pages by number or by cursor token.
//! The generator implements [`Paginated`] for those operations' builders;
//! the end rules live here, once.

use crate::Error;
use futures_util::stream::{self, Stream, StreamExt};
use serde::Serialize;
use std::future::Future;

/// Where a listing stands: a page number (from 1) or the server's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// The page number, counting from 1.
    Number(u32),
    /// The token the previous page handed out.
    Token(String),
}

/// One page of a response, as the generated code reads it.
#[derive(Debug, Clone)]
pub struct PageOf<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The token of the next page (cursor listings).
    pub next_token: Option<String>,
    /// Whether the server says more pages follow.
    pub has_more: Option<bool>,
    /// How many items there are in all, where the server says.
    pub total: Option<i64>,
}

/// A request of an operation that returns pages.
pub trait Paginated: Clone + Send {
    /// One element of a page.
    type Item: Serialize + Send;
    /// The operation's response.
    type Response: Send;
    /// Whether the operation pages by number (else by token).
    const NUMBERED: bool;
    /// This request, asking for the page at `cursor`.
    fn at(self, cursor: &Cursor) -> Self;
    /// Sends the request.
    fn fetch(self) -> impl Future<Output = Result<Self::Response, Error>> + Send;
    /// The page a response holds.
    fn page(response: Self::Response) -> PageOf<Self::Item>;
}

/// Pages fetched at most, whatever a server claims.
pub const MAX_PAGES: usize = 10_000;

struct State<P> {
    request: P,
    cursor: Option<Cursor>,
    seen_cursors: Vec<Cursor>,
    last_page: Option<Vec<u8>>,
    items_so_far: i64,
    pages: usize,
    done: bool,
}

/// Every item of every page of `first`, in order.
///
/// Ends after an empty page, once the server's total is reached, when the
/// server gives no next token or says there is no more, on a cursor seen
/// before, on a page identical to the one before (a server that ignores
/// the page number), after an error (yielded last), or after
/// [`MAX_PAGES`] pages: it can never loop forever.
pub fn pages<P: Paginated>(first: P) -> impl Stream<Item = Result<P::Item, Error>> {
    let cursor = P::NUMBERED.then_some(Cursor::Number(1));
    let state = State {
        request: first,
        cursor,
        seen_cursors: Vec::new(),
        last_page: None,
        items_so_far: 0,
        pages: 0,
        done: false,
    };
    stream::unfold(state, |mut st| async move {
        if st.done || st.pages >= MAX_PAGES {
            return None;
        }
        let request = match &st.cursor {
            Some(c) if st.seen_cursors.contains(c) => return None,
            Some(c) => {
                st.seen_cursors.push(c.clone());
                st.request.clone().at(c)
            }
            None => st.request.clone(),
        };
        st.pages += 1;
        let page = match request.fetch().await {
            Err(e) => {
                st.done = true;
                return Some((vec![Err(e)], st));
            }
            Ok(response) => P::page(response),
        };
        let fingerprint = serde_json::to_vec(&page.items).ok();
        if page.items.is_empty() || (fingerprint.is_some() && fingerprint == st.last_page) {
            return None;
        }
        st.last_page = fingerprint;
        st.items_so_far += page.items.len() as i64;
        st.cursor = next_cursor(P::NUMBERED, st.cursor.as_ref(), &page, st.items_so_far);
        st.done = st.cursor.is_none();
        Some((page.items.into_iter().map(Ok).collect(), st))
    })
    .flat_map(stream::iter)
}

/// The cursor of the page after `page`, or `None` when it was the last.
fn next_cursor<T>(numbered: bool, current: Option<&Cursor>, page: &PageOf<T>, items_so_far: i64) -> Option<Cursor> {
    if page.has_more == Some(false) || page.total.is_some_and(|total| items_so_far >= total) {
        return None;
    }
    if numbered {
        match current {
            Some(Cursor::Number(n)) => n.checked_add(1).map(Cursor::Number),
            _ => None,
        }
    } else {
        page.next_token.clone().filter(|t| !t.is_empty()).map(Cursor::Token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// A fake listing: pages by number or by token over fixed data.
    #[derive(Clone)]
    struct Fake {
        pages: Arc<Vec<PageOf<u32>>>,
        at: usize,
        calls: Arc<AtomicUsize>,
        fail_at: Option<usize>,
    }

    impl Fake {
        fn new(pages: Vec<PageOf<u32>>) -> Self {
            Self { pages: Arc::new(pages), at: 0, calls: Arc::default(), fail_at: None }
        }
    }

    fn page(items: &[u32], next: Option<&str>, total: Option<i64>) -> PageOf<u32> {
        PageOf { items: items.to_vec(), next_token: next.map(str::to_owned), has_more: None, total }
    }

    // `NUMBERED` is a constant, so the two styles are two wrapper types.
    #[derive(Clone)]
    struct Numbered(Fake);
    #[derive(Clone)]
    struct Tokens(Fake);

    async fn fetch(f: Fake) -> Result<PageOf<u32>, Error> {
        f.calls.fetch_add(1, Ordering::SeqCst);
        if f.fail_at == Some(f.at) {
            return Err(Error::new("test", crate::ErrorKind::Timeout));
        }
        Ok(f.pages.get(f.at).cloned().unwrap_or_else(|| page(&[], None, None)))
    }

    impl Paginated for Numbered {
        type Item = u32;
        type Response = PageOf<u32>;
        const NUMBERED: bool = true;
        fn at(mut self, cursor: &Cursor) -> Self {
            if let Cursor::Number(n) = cursor {
                self.0.at = *n as usize - 1;
            }
            self
        }
        fn fetch(self) -> impl Future<Output = Result<PageOf<u32>, Error>> + Send {
            fetch(self.0)
        }
        fn page(r: PageOf<u32>) -> PageOf<u32> {
            r
        }
    }

    impl Paginated for Tokens {
        type Item = u32;
        type Response = PageOf<u32>;
        const NUMBERED: bool = false;
        fn at(mut self, cursor: &Cursor) -> Self {
            if let Cursor::Token(t) = cursor {
                self.0.at = t.trim_start_matches('p').parse().unwrap_or(usize::MAX);
            }
            self
        }
        fn fetch(self) -> impl Future<Output = Result<PageOf<u32>, Error>> + Send {
            fetch(self.0)
        }
        fn page(r: PageOf<u32>) -> PageOf<u32> {
            r
        }
    }

    async fn collect(s: impl Stream<Item = Result<u32, Error>>) -> Vec<u32> {
        s.map(|r| r.unwrap()).collect().await
    }

    #[tokio::test]
    async fn numbered_pages_until_empty() {
        let f = Fake::new(vec![page(&[1, 2], None, None), page(&[3, 4], None, None), page(&[5], None, None)]);
        let calls = f.calls.clone();
        assert_eq!(collect(pages(Numbered(f))).await, [1, 2, 3, 4, 5]);
        assert_eq!(calls.load(Ordering::SeqCst), 4, "three pages and the empty one");
    }

    #[tokio::test]
    async fn numbered_pages_stop_at_the_total() {
        let f = Fake::new(vec![page(&[1, 2], None, Some(3)), page(&[3], None, Some(3)), page(&[9], None, None)]);
        let calls = f.calls.clone();
        assert_eq!(collect(pages(Numbered(f))).await, [1, 2, 3]);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_server_repeating_one_page_ends_after_it() {
        let same = page(&[7, 8], None, None);
        let f = Fake::new(vec![same.clone(), same.clone(), same]);
        let calls = f.calls.clone();
        assert_eq!(collect(pages(Numbered(f))).await, [7, 8]);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn tokens_are_followed_until_none_or_no_more() {
        let f = Fake::new(vec![page(&[1], Some("p1"), None), page(&[2], Some("p2"), None), page(&[3], None, None)]);
        assert_eq!(collect(pages(Tokens(f))).await, [1, 2, 3]);
        let mut last = page(&[2], Some("p2"), None);
        last.has_more = Some(false);
        let f = Fake::new(vec![page(&[1], Some("p1"), None), last, page(&[3], None, None)]);
        assert_eq!(collect(pages(Tokens(f))).await, [1, 2]);
    }

    #[tokio::test]
    async fn a_repeated_token_ends_the_stream() {
        let f = Fake::new(vec![page(&[1], Some("p1"), None), page(&[2], Some("p1"), None)]);
        let calls = f.calls.clone();
        assert_eq!(collect(pages(Tokens(f))).await, [1, 2]);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn an_error_is_yielded_and_ends_the_stream() {
        let mut f = Fake::new(vec![page(&[1], None, None), page(&[2], None, None)]);
        f.fail_at = Some(1);
        let out: Vec<Result<u32, Error>> = pages(Numbered(f)).collect().await;
        assert_eq!(out.len(), 2);
        assert!(out[0].is_ok() && out[1].is_err());
    }
}
