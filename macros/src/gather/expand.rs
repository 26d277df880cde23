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
use quote::{quote, quote_spanned};
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
        (false, settled) => spawned(&p, &vars, args, limit, timeout, settled),
        (true, false) if limit.is_none() && timeout.is_none() => local_plain(&p, &vars, args),
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
pub(crate) fn internal(name: &str, span: Span) -> Ident {
    Ident::new(name, Span::mixed_site().located_at(span))
}

pub(crate) fn option_tokens(p: &TokenStream, value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(#p::Some(#v)),
        None => quote!(#p::None),
    }
}

/// One `let` per argument: the argument checked where it is written by a
/// runtime function, each error at the argument's own tokens. The `first`
/// fixes the error type and the `later` ones are checked against it (both
/// get the scheduler, which carries that type); settled, `any` takes each
/// argument with its own error type.
pub(crate) fn checked_args(
    p: &TokenStream,
    sched: &Ident,
    vars: &[Ident],
    args: &[TokenStream],
    settled: bool,
    [first, later, any]: [&str; 3],
) -> Vec<TokenStream> {
    vars.iter()
        .zip(args)
        .enumerate()
        .map(|(i, (var, arg))| {
            let call = match (settled, i) {
                (true, _) => {
                    let check = Ident::new(any, Span::call_site());
                    call_at(arg, quote!(#p::#check), quote!(#arg))
                }
                (false, i) => {
                    let check = Ident::new(if i == 0 { first } else { later }, Span::call_site());
                    call_at(arg, quote!(#p::#check), quote!(&#sched, #arg))
                }
            };
            quote!(let #var = #call;)
        })
        .collect()
}

/// The body of one scheduler pass, shared by both modes: `begin`, each
/// argument (reached as `arg(var)`) polled in order (fail-fast: the first
/// failure returns), the end of the pass, then the arguments' results.
fn scheduler_pass(
    p: &TokenStream,
    sched: &Ident,
    cx: &Ident,
    vars: &[Ident],
    settled: bool,
    begin: TokenStream,
    arg: impl Fn(&Ident) -> TokenStream,
) -> TokenStream {
    let failure = internal("__gather_failure", Span::call_site());
    let indexes = 0..vars.len() as u64;
    let args: Vec<TokenStream> = vars.iter().map(arg).collect();
    if settled {
        return quote! {
            #begin
            #( #sched.poll_settled(#args, #cx, #indexes); )*
            if #sched.end_settled(#cx).is_pending() {
                return #p::Pending;
            }
            #p::Ready(( #( #sched.take_settled(#args), )* ))
        };
    }
    quote! {
        #begin
        #(
            if let #p::Err(#failure) = #sched.poll(#args, #cx, #indexes) {
                return #p::Ready(#p::Err(#failure));
            }
        )*
        match #sched.end(#cx) {
            #p::Ready(#p::Ok(())) => {}
            #p::Ready(#p::Err(#failure)) => return #p::Ready(#p::Err(#failure)),
            #p::Pending => return #p::Pending,
        }
        #p::Ready(#p::Ok(( #( #sched.take(#args), )* )))
    }
}

/// `gather!` without `local`: each argument a task of its own, started when
/// the scheduler admits it; once the outcome is known, the children still
/// running are aborted and waited for, so no child outlives the gather.
fn spawned(
    p: &TokenStream,
    vars: &[Ident],
    args: &[TokenStream],
    limit: Option<usize>,
    timeout: Option<TokenStream>,
    settled: bool,
) -> TokenStream {
    let sched = internal("__gather_spawner", Span::call_site());
    let cx = internal("__gather_cx", Span::call_site());
    let result = internal("__gather_result", Span::call_site());
    let done = internal("__gather_done", Span::call_site());
    let timeout = option_tokens(p, timeout);
    let limit = option_tokens(p, limit.map(|n| quote!(#n)));
    let indexes = 0..vars.len() as u64;
    let arity = vars.len();
    let checks = checked_args(
        p,
        &sched,
        vars,
        args,
        settled,
        ["first_spawned_arg", "spawned_arg", "settled_arg"],
    );
    let run = scheduler_pass(
        p,
        &sched,
        &cx,
        vars,
        settled,
        quote!(#sched.begin(#cx);),
        |var| quote!(&mut #var),
    );
    let (sched_ty, stop, output) = if settled {
        (
            quote!(#p::Spawner<#p::Infallible>),
            quote!(#( #done &= #sched.poll_stop_settled(&mut #vars, #cx).is_ready(); )*),
            quote!(#sched.finish_settled(#result)),
        )
    } else {
        (
            quote!(#p::Spawner<_>),
            quote!(#( #done &= #sched.poll_stop(&mut #vars, #cx, #indexes).is_ready(); )*),
            quote!(#sched.finish(#result)),
        )
    };
    quote! {
        {
            let #sched: #sched_ty = #p::Spawner::new(#arity, #settled, #limit, #timeout);
            #(#checks)*
            async move {
                let mut #sched = #sched;
                #( let mut #vars = #vars; )*
                let #result = #p::poll_fn(|#cx| { #run }).await;
                #p::poll_fn(|#cx| {
                    let mut #done = true;
                    #stop
                    // After the children: one hands its orphans over before
                    // it ends, so once it is seen ended they are seen too.
                    #done &= #sched.poll_orphans(#cx).is_ready();
                    if #done { #p::Ready(()) } else { #p::Pending }
                })
                .await;
                #output
            }
        }
    }
}

/// `gather!(local; ..)`: the arguments polled in place by the scheduler.
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
    let timeout = option_tokens(p, timeout);
    let limit = option_tokens(p, limit.map(|n| quote!(#n)));
    let sched_ty = if settled {
        quote!(#p::Scheduler<#p::Infallible>)
    } else {
        quote!(#p::Scheduler<_>)
    };
    let wrap = checked_args(
        p,
        &sched,
        vars,
        args,
        settled,
        ["local_first_arg", "local_arg", "local_settled_arg"],
    );
    let run = scheduler_pass(
        p,
        &sched,
        &cx,
        vars,
        settled,
        quote!(#sched.begin();),
        |var| quote!(#var.as_mut()),
    );
    quote! {
        {
            let #sched: #sched_ty = #p::Scheduler::new(#limit, #timeout);
            #(#wrap)*
            async move {
                let mut #sched = #sched;
                #( let mut #vars = #p::pin!(#vars); )*
                #p::poll_fn(|#cx| { #run })
                .await
            }
        }
    }
}

/// `gather!(local; ..)` with no other option: nothing to admit and no
/// deadline, so a `LocalGather` holds the arguments in a `Cons` list and
/// polls them in place, under one `catch_unwind` per pass, each outcome
/// stored once where its future was. The checks are `local`'s (a
/// `Scheduler` carries the error type for them, and is not used otherwise),
/// so a wrong argument gets the same message.
fn local_plain(p: &TokenStream, vars: &[Ident], args: &[TokenStream]) -> TokenStream {
    let sched = internal("__gather_local", Span::call_site());
    let pass = internal("__gather_pass", Span::call_site());
    let list = internal("__gather_args", Span::call_site());
    let stop = internal("__gather_stop", Span::call_site());
    let cx = internal("__gather_cx", Span::call_site());
    let indexes = 0..vars.len() as u64;
    let cancel_indexes = indexes.clone();
    let wrap = checked_args(
        p,
        &sched,
        vars,
        args,
        false,
        ["local_first_arg", "local_arg", "local_settled_arg"],
    );
    let cons = vars
        .iter()
        .rev()
        .fold(quote!(()), |tail, var| quote!(#p::Cons::new(#var, #tail)));
    quote! {
        {
            let #sched: #p::Scheduler<_> = #p::Scheduler::new(#p::None, #p::None);
            #(#wrap)*
            #p::LocalGather::new(#cons, |#pass, #list, #cx| {
                #( let (mut #vars, #list) = #list.split(); )*
                let _ = #list;
                match #pass.run(|#pass| {
                    #( #pass.poll(#vars.as_mut(), #cx, #indexes)?; )*
                    #p::Ok(())
                }) {
                    #p::Pending => #p::Pending,
                    #p::Ready(#p::Ok(())) => {
                        #p::Ready(#p::Ok(( #( #pass.take(#vars), )* )))
                    }
                    #p::Ready(#p::Err(mut #stop)) => {
                        #( #stop.cancel(#vars, #cancel_indexes); )*
                        #p::Ready(#p::Err(#stop.error()))
                    }
                }
            })
        }
    }
}
