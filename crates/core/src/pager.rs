//! Pagination as a stream of items, for page numbers and cursors alike.

use crate::Error;
use futures::stream::{self, Stream, StreamExt};
use serde::Serialize;
use std::future::Future;

/// One page as the vendor returned it, with the cursor of the next page
/// (`None` when the vendor says this was the last).
#[derive(Debug, Clone)]
pub struct Page<T, C> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Where the next page starts, if there is one.
    pub next: Option<C>,
}

/// Pages fetched at most, whatever a server claims.
pub const MAX_PAGES: usize = 10_000;

struct State<C, F> {
    cursor: Option<C>,
    seen: Vec<C>,
    last_page: Option<Vec<u8>>,
    pages: usize,
    fetch: F,
}

/// Streams the items of every page, starting at `first`.
///
/// Ends after an empty page, a page without a next cursor, a cursor seen
/// before, a page identical to the one before (a server that ignores the
/// page number), an error (yielded last), or [`MAX_PAGES`] pages: it can
/// never loop forever.
pub fn paginate<T, C, F, Fut>(first: C, fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    T: Serialize,
    C: PartialEq + Clone,
    F: FnMut(C) -> Fut,
    Fut: Future<Output = Result<Page<T, C>, Error>>,
{
    let state = State { cursor: Some(first), seen: Vec::new(), last_page: None, pages: 0, fetch };
    stream::unfold(state, |mut st| async move {
        let cursor = st.cursor.take()?;
        if st.pages >= MAX_PAGES || st.seen.contains(&cursor) {
            return None;
        }
        st.seen.push(cursor.clone());
        st.pages += 1;
        match (st.fetch)(cursor).await {
            Err(e) => Some((vec![Err(e)], st)),
            Ok(page) => {
                let fingerprint = serde_json::to_vec(&page.items).ok();
                if page.items.is_empty() || (fingerprint.is_some() && fingerprint == st.last_page) {
                    return None;
                }
                st.last_page = fingerprint;
                st.cursor = page.next;
                Some((page.items.into_iter().map(Ok).collect(), st))
            }
        }
    })
    .flat_map(stream::iter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn collect(s: impl Stream<Item = Result<u32, Error>>) -> Vec<u32> {
        s.map(|r| r.unwrap()).collect().await
    }

    #[tokio::test]
    async fn follows_pages_until_empty() {
        let pages = [vec![1, 2], vec![3, 4], vec![5]];
        let s = paginate(1usize, |p| {
            let items = pages.get(p - 1).cloned().unwrap_or_default();
            async move { Ok(Page { items, next: Some(p + 1) }) }
        });
        assert_eq!(collect(s).await, [1, 2, 3, 4, 5]);
    }

    #[tokio::test]
    async fn a_server_repeating_one_page_ends_after_it() {
        let calls = AtomicUsize::new(0);
        let s = paginate(1usize, |p| {
            calls.fetch_add(1, Ordering::SeqCst);
            async move { Ok(Page { items: vec![7, 8], next: Some(p + 1) }) }
        });
        assert_eq!(collect(s).await, [7, 8]);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_repeated_cursor_ends_the_stream() {
        let s = paginate("a".to_owned(), |c| async move {
            let (items, next) = if c == "a" { (vec![1], "b") } else { (vec![2], "a") };
            Ok(Page { items, next: Some(next.to_owned()) })
        });
        assert_eq!(collect(s).await, [1, 2]);
    }

    #[tokio::test]
    async fn an_error_is_yielded_and_ends_the_stream() {
        let s = paginate(1usize, |p| async move {
            if p == 1 {
                Ok(Page { items: vec![1], next: Some(2) })
            } else {
                Err(Error::new("test", crate::ErrorKind::Timeout))
            }
        });
        let out: Vec<Result<u32, Error>> = s.collect().await;
        assert_eq!(out.len(), 2);
        assert!(out[1].is_err());
    }
}
