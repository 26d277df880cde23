//! Code generation for `gather!`.
//!
//! Every argument is evaluated where the macro is written, in order (like
//! `tokio::join!`), into a hygienic local; the returned future then spawns
//! them into a fresh group (or, with `local`, polls them in place with code
//! generated for this arity). Internal names use `Span::mixed_site()`, so a
//! user variable called `__gather_0`, `tg` or `handle` neither clashes with
//! nor is captured by them; runtime items are named through
//! `::taskgroup::__private` (or `crate = ..`).

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Expr;
use syn::spanned::Spanned as _;

use super::valid::Gather;

/// The tokens of each argument as they go into the expansion (for
/// `#[allow_blocking]` markers stripped by the caller).
pub(crate) fn expand(gather: &Gather, args: &[TokenStream]) -> TokenStream {
    let rt = gather.opts.runtime_path();
    let p = quote!(#rt::__private);
    let spans: Vec<Span> = gather.args.iter().map(Expr::span).collect();
    let vars: Vec<Ident> = spans
        .iter()
        .enumerate()
        .map(|(i, span)| internal(&format!("__gather_{i}"), *span))
        .collect();
    let timeout = gather.opts.timeout.as_ref().map(|t| {
        let t_span = t.span();
        quote_spanned!(t_span=> #p::duration(#t))
    });
    let limit = gather.opts.limit.map(|l| l.value);
    match (gather.opts.local, gather.opts.settled) {
        (false, false) => spawned(&p, &vars, args, limit, timeout),
        (false, true) => spawned_settled(&p, &vars, args, limit, timeout),
        (true, settled) => local(&p, &vars, args, limit, timeout, settled),
    }
}

/// The tokens with every span set to `span`: a helper call that carries
/// the argument's own location, so rustc reports problems with the argument
/// there instead of at the whole macro.
fn respan(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut tt| {
            if let proc_macro2::TokenTree::Group(g) = &tt {
                let mut group = proc_macro2::Group::new(g.delimiter(), respan(&g.stream(), span));
                group.set_span(span);
                tt = proc_macro2::TokenTree::Group(group);
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}

/// `path(args)` located exactly over `arg`: the path at its first token,
/// the parentheses at its last, so rustc's span for the call is the
/// argument's. Problems with an argument (wrong type, not `Send`, borrowing
/// for too short) are then reported at the argument, not at the whole macro.
fn call_at(arg: &TokenStream, path: TokenStream, args: TokenStream) -> TokenStream {
    let tokens: Vec<proc_macro2::TokenTree> = arg.clone().into_iter().collect();
    let first = tokens.first().map_or_else(Span::call_site, |tt| tt.span());
    let last = tokens.last().map_or(first, |tt| tt.span());
    let mut parens = proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, args);
    parens.set_span(last);
    let path = respan(&path, first);
    quote!(#path #parens)
}

/// A name only the expansion can see, located at `span` for messages.
fn internal(name: &str, span: Span) -> Ident {
    Ident::new(name, Span::mixed_site().located_at(span))
}

fn option_tokens(p: &TokenStream, value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(#p::Some(#v)),
        None => quote!(#p::None),
    }
}

fn spawned(
    p: &TokenStream,
    vars: &[Ident],
    args: &[TokenStream],
    limit: Option<usize>,
    timeout: Option<TokenStream>,
) -> TokenStream {
    let errors = internal("__gather_errors", Span::call_site());
    let tg = internal("__gather_group", Span::call_site());
    let handles: Vec<Ident> = vars.iter().map(|v| format_ident!("{}_handle", v)).collect();
    let checks = vars.iter().zip(args).enumerate().map(|(i, (var, arg))| {
        // The first argument fixes the error type; the others are checked
        // against it, each error at the argument's own tokens.
        let check = if i == 0 {
            quote!(first_spawned_arg)
        } else {
            quote!(spawned_arg)
        };
        let call = call_at(arg, quote!(#p::#check), quote!(&#errors, #arg));
        quote!(let #var = #call;)
    });
    let timeout_var = internal("__gather_timeout", Span::call_site());
    let timeout_let = timeout.as_ref().map(|t| quote!(let #timeout_var = #t;));
    let limit = limit.map(|n| quote!(.limit(#n)));
    let timeout = timeout.map(|_| quote!(.timeout(#timeout_var)));
    quote! {
        {
            let #errors = #p::Errors::new();
            #timeout_let
            #(#checks)*
            #p::Builder::new() #limit #timeout .scope(move |#tg| async move {
                #( let #handles = #p::spawn_arg(&#tg, #vars)?; )*
                #p::Ok(( #( #handles.await?, )* ))
            })
        }
    }
}

fn spawned_settled(
    p: &TokenStream,
    vars: &[Ident],
    args: &[TokenStream],
    limit: Option<usize>,
    timeout: Option<TokenStream>,
) -> TokenStream {
    let tg = internal("__gather_group", Span::call_site());
    let deadline = internal("__gather_deadline", Span::call_site());
    let run = internal("__gather_run", Span::call_site());
    let outcomes = internal("__gather_outcomes", Span::call_site());
    let timeout_var = internal("__gather_timeout", Span::call_site());
    let handles: Vec<Ident> = vars.iter().map(|v| format_ident!("{}_handle", v)).collect();
    let checks = vars.iter().zip(args).map(|(var, arg)| {
        let call = call_at(arg, quote!(#p::settled_arg), quote!(#arg));
        quote!(let #var = #call;)
    });
    let timeout = option_tokens(p, timeout);
    let limit = limit.map(|n| quote!(.limit(#n)));
    let cancelled = vars.iter().map(|_| quote!(#p::settled_cancelled(),));
    quote! {
        {
            let #timeout_var = #timeout;
            #(#checks)*
            let #run = #p::Builder::new() #limit .scope(move |#tg: #p::TaskGroup<#p::Infallible>| async move {
                let #deadline = #p::SettledDeadline::start(#timeout_var);
                #( let #handles = #p::spawn_settled(&#tg, #deadline, #vars); )*
                #p::Ok(( #( #handles.outcome().await, )* ))
            });
            async move {
                match #run.await {
                    #p::Ok(#outcomes) => #outcomes,
                    // Settled children never fail, so the group cannot end
                    // early; should it anyway, nothing is lost silently.
                    #p::Err(_) => ( #(#cancelled)* ),
                }
            }
        }
    }
}

fn local(
    p: &TokenStream,
    vars: &[Ident],
    args: &[TokenStream],
    limit: Option<usize>,
    timeout: Option<TokenStream>,
    settled: bool,
) -> TokenStream {
    let sched = internal("__gather_local", Span::call_site());
    let cx = internal("__gather_cx", Span::call_site());
    let failure = internal("__gather_failure", Span::call_site());
    let timeout = option_tokens(p, timeout);
    let limit = option_tokens(p, limit.map(|n| quote!(#n)));
    let indexes = (0..vars.len()).map(|i| i as u64);
    let outcomes: Vec<TokenStream>;
    let wrap: Vec<TokenStream>;
    let polls: Vec<TokenStream>;
    let end;
    let sched_ty;
    if settled {
        sched_ty = quote!(#p::Local<#p::Infallible>);
        wrap = vars
            .iter()
            .zip(args)
            .map(|(var, arg)| {
                let call = call_at(arg, quote!(#p::local_settled_arg), quote!(#arg));
                quote!(let #var = #call;)
            })
            .collect();
        polls = vars
            .iter()
            .zip(indexes)
            .map(|(var, i)| quote!(#sched.poll_settled(#var.as_mut(), #cx, #i);))
            .collect();
        end = quote! {
            if #sched.end_settled(#cx).is_pending() {
                return #p::Pending;
            }
        };
        outcomes = vars
            .iter()
            .map(|var| quote!(#sched.take_settled(#var.as_mut()),))
            .collect();
    } else {
        sched_ty = quote!(#p::Local<_>);
        wrap = vars
            .iter()
            .zip(args)
            .enumerate()
            .map(|(i, (var, arg))| {
                let check = if i == 0 {
                    quote!(local_first_arg)
                } else {
                    quote!(local_arg)
                };
                let call = call_at(arg, quote!(#p::#check), quote!(&#sched, #arg));
                quote!(let #var = #call;)
            })
            .collect();
        polls = vars
            .iter()
            .zip(indexes)
            .map(|(var, i)| {
                quote! {
                    if let #p::Err(#failure) = #sched.poll(#var.as_mut(), #cx, #i) {
                        return #p::Ready(#p::Err(#failure));
                    }
                }
            })
            .collect();
        end = quote! {
            match #sched.end(#cx) {
                #p::Ready(#p::Ok(())) => {}
                #p::Ready(#p::Err(#failure)) => return #p::Ready(#p::Err(#failure)),
                #p::Pending => return #p::Pending,
            }
        };
        outcomes = vars
            .iter()
            .map(|var| quote!(#sched.take(#var.as_mut()),))
            .collect();
    }
    let result = if settled {
        quote!(( #(#outcomes)* ))
    } else {
        quote!(#p::Ok(( #(#outcomes)* )))
    };
    quote! {
        {
            let #sched: #sched_ty = #p::Local::new(#limit, #timeout);
            #(#wrap)*
            async move {
                let mut #sched = #sched;
                #( let mut #vars = #p::pin!(#vars); )*
                #p::poll_fn(|#cx| {
                    #sched.begin();
                    #(#polls)*
                    #end
                    #p::Ready(#result)
                })
                .await
            }
        }
    }
}
